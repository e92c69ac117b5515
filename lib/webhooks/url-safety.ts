import "server-only";
import { lookup as dnsLookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { env, isProduction } from "@/lib/env";
import { type AddressPolicy, isAllowedAddress } from "./address";

// Where webhooks may go: public unicast addresses only. Checked when an endpoint is saved (here,
// on every address the host resolves to) and again on every delivery, at the connection itself
// (delivery.ts), so a host that resolves elsewhere later (DNS rebinding) is refused there too.

export interface UrlPolicy extends AddressPolicy {
  /** https:// only. */
  production: boolean;
}

/** The policy of this process: loopback only outside production, when asked for. */
export const urlPolicy = (): UrlPolicy => ({
  production: isProduction(),
  allowLoopback: !isProduction() && env().KEYPORT_WEBHOOKS_ALLOW_PRIVATE === "1",
});

/** What the endpoint form says about URLs: the same policy that judges them, so it never says otherwise. */
export function urlRuleText(policy: UrlPolicy = urlPolicy()): string {
  if (policy.production) return "https:// only. Private, loopback, link-local and metadata addresses are refused.";
  if (policy.allowLoopback)
    return "https:// or http://. Loopback addresses are allowed here (KEYPORT_WEBHOOKS_ALLOW_PRIVATE=1); private, link-local and metadata addresses are refused.";
  return "https:// or http:// (https:// only in production). Private, loopback, link-local and metadata addresses are refused.";
}

export const PRIVATE_ADDRESS =
  "This URL points to a private, loopback, link-local, multicast or metadata address. Webhooks are sent to public addresses only.";

type Lookup = (host: string) => Promise<string[]>;
const LOOKUP_MS = 5000;
const systemLookup: Lookup = async (host) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), LOOKUP_MS);
  });
  try {
    return (await Promise.race([dnsLookup(host, { all: true, verbatim: true }), timeout])).map((a) => a.address);
  } finally {
    clearTimeout(timer);
  }
};

/** What is wrong with an endpoint URL (the message shown under the field), or null when it may be saved. */
export async function endpointUrlProblem(
  raw: string,
  policy: UrlPolicy = urlPolicy(),
  lookup: Lookup = systemLookup,
): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter a full URL, such as https://example.com/webhooks.";
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && !policy.production))
    return policy.production ? "Only https:// URLs are allowed." : "Only https:// and http:// URLs are allowed.";
  if (url.username || url.password) return "A webhook URL may not contain a user name or password.";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!host) return "Enter a full URL, such as https://example.com/webhooks.";
  if (ipaddr.isValid(host)) return isAllowedAddress(host, policy) ? null : PRIVATE_ADDRESS;
  let addresses: string[];
  try {
    addresses = await lookup(host);
  } catch {
    return "This host name does not resolve. Check the URL.";
  }
  if (!addresses.length) return "This host name does not resolve. Check the URL.";
  return addresses.every((a) => isAllowedAddress(a, policy)) ? null : PRIVATE_ADDRESS;
}
