// DNS rebinding: a page on evil.test whose name later resolves to 127.0.0.1 talks to this server
// as same-origin, but its requests still say "Host: evil.test". Outside production only the
// names this install is configured under are answered. IP literals of the machine's own
// interfaces are safe to add (a rebinding attack needs a name), so binding to every interface
// still works by address.
import { isIPv6 } from "node:net";
import { networkInterfaces } from "node:os";

type Env = Record<string, string | undefined>;

const WILDCARDS = new Set(["0.0.0.0", "::", "[::]"]);

/** Where `npm start` listens: loopback only, unless HOST says otherwise. */
export const listenHost = (env: Env = process.env) => env.HOST?.trim() || "127.0.0.1";

/** "Localhost:3000" → "localhost", "[::1]:80" → "[::1]"; null for anything that is not a bare host[:port]. */
export function hostName(value: string | undefined): string | null {
  if (!value || /[\s/\\@?#]/.test(value)) return null;
  try {
    return new URL(`http://${value}`).hostname;
  } catch {
    return null;
  }
}

/** The host name of a configured value: a URL ("https://keys.example.test/") or a bare host. */
function configuredName(value: string): string | null {
  if (value.includes("://")) {
    try {
      return new URL(value).hostname || null;
    } catch {
      return null;
    }
  }
  return hostName(isIPv6(value) ? `[${value}]` : value); // HOST=::1 needs brackets to parse
}

export function allowedHostNames(env: Env = process.env, interfaces = networkInterfaces): Set<string> {
  const names = new Set(["localhost", "127.0.0.1", "[::1]"]);
  const host = env.HOST?.trim();
  if (host && WILDCARDS.has(host)) {
    for (const list of Object.values(interfaces()))
      for (const a of list ?? []) names.add(a.family === "IPv6" ? `[${a.address.split("%")[0]}]` : a.address);
  } else if (host) {
    const n = configuredName(host);
    if (n) names.add(n);
  }
  const urls = [env.KEYPORT_URL, env.APP_URL, env.AUTH_URL, ...(env.KEYPORT_ALLOWED_ORIGINS ?? "").split(",")];
  for (const u of urls.map((s) => s?.trim()).filter(Boolean) as string[]) {
    const n = configuredName(u);
    if (n) names.add(n);
  }
  return names;
}

/** True when the Host header names this install. */
export function hostAllowed(header: string | undefined, allowed: Set<string>): boolean {
  const name = hostName(header);
  return !!name && allowed.has(name);
}
