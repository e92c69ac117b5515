import type { IncomingMessage } from "node:http";
import { cidrContains, parseCidr, parseIp, type Cidr } from "@/lib/keys/ip";

/** "::ffff:203.0.113.7" → "203.0.113.7"; other addresses unchanged. */
export const normaliseIp = (ip: string | undefined) => (ip?.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : (ip ?? ""));

let trusted: Cidr[] | undefined;
/**
 * TRUSTED_PROXIES, read once: a deployment setting, like the proxy's own address. Not read per
 * request: every verification needs the client's address, and one process.env read cost a
 * quarter of a microsecond there (env() re-reads every variable: about 5 µs). Unset or blank
 * is no proxy.
 */
function trustedProxies(): Cidr[] {
  trusted ??= (process.env.TRUSTED_PROXIES ?? "")
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((s) => parseCidr(s))
    .filter((c): c is Cidr => !!c);
  return trusted;
}

/** For tests that change TRUSTED_PROXIES: read it again on next use. */
export function reloadTrustedProxies() {
  trusted = undefined;
}

const isTrusted = (ip: string) => {
  const parsed = parseIp(ip);
  return !!parsed && trustedProxies().some((c) => cidrContains(c, parsed));
};

/** A socket peer named in TRUSTED_PROXIES. */
export const isTrustedProxy = (address: string | undefined) => isTrusted(normaliseIp(address));

/**
 * The client's address: the socket peer, unless that peer is a proxy named in TRUSTED_PROXIES,
 * in which case X-Forwarded-For is walked from the right past further trusted proxies.
 * Forwarding headers from anyone else are ignored.
 */
export function clientAddress(req: IncomingMessage): string {
  const peer = normaliseIp(req.socket.remoteAddress);
  if (trustedProxies().length === 0 || !isTrusted(peer)) return peer; // no proxies: nothing to parse
  const header = req.headers["x-forwarded-for"];
  const hops = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((s) => normaliseIp(s.trim()))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!parseIp(hops[i])) return peer; // garbage in the chain: fall back to the proxy itself
    if (!isTrusted(hops[i])) return hops[i];
  }
  return hops[0] ?? peer;
}

const FORWARDING = ["x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "forwarded"] as const;

/**
 * Drops forwarding headers that only a trusted proxy may set: Next.js and Auth.js build URLs and
 * compare origins from `X-Forwarded-Host`/`-Proto`, so a client's own copy could steer them.
 */
export function dropUntrustedForwarding(req: IncomingMessage) {
  if (isTrustedProxy(req.socket.remoteAddress)) return;
  for (const h of FORWARDING) delete req.headers[h];
}
