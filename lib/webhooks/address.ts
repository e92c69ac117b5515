import ipaddr from "ipaddr.js";

// Which addresses a webhook may be sent to: one pure rule, used when an endpoint is saved (on the
// URL's host or every address its name resolves to) and at every delivery, on the address the
// connection actually goes to (safe-agent.ts).

export interface AddressPolicy {
  /** KEYPORT_WEBHOOKS_ALLOW_PRIVATE=1 outside production: loopback is allowed too. */
  allowLoopback: boolean;
}

/**
 * The IPv4 address an IPv6 address stands for, in every form that reaches an IPv4 host:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d, which the URL parser writes as
 * ::7f00:1), IPv4-translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4
 * (2002:aabb:ccdd::). null for any other address.
 */
export function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const b = address.toByteArray();
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4 = (at: number) => new ipaddr.IPv4(b.slice(at, at + 4));
  if (zeros(0, 10) && ((b[10] === 0xff && b[11] === 0xff) || (b[10] === 0 && b[11] === 0))) return v4(12);
  if (zeros(0, 8) && b[8] === 0xff && b[9] === 0xff && b[10] === 0 && b[11] === 0) return v4(12);
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return v4(12);
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2);
  return null;
}

/**
 * Whether a webhook may connect to `address`: a public unicast address, or loopback when the
 * policy allows it. An IPv6 address that carries an IPv4 one is judged by that IPv4 address, so
 * ::127.0.0.1 and 64:ff9b::10.0.0.1 are what they point at. Anything unparsable is refused.
 */
export function isAllowedAddress(address: string, policy: AddressPolicy): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  // ::1 is IPv6's loopback, not the IPv4-compatible form of 0.0.0.1.
  const range =
    parsed.kind() === "ipv6" && parsed.range() !== "loopback" ? (embeddedIpv4(parsed as ipaddr.IPv6) ?? parsed).range() : parsed.range();
  return range === "unicast" || (policy.allowLoopback && range === "loopback");
}
