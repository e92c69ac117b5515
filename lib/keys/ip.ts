// IPv4 / IPv6 addresses and CIDR ranges (the same code validates in the browser form and matches
// on the server). Parsing is ipaddr.js's; addresses are kept as 16 bytes, IPv4 mapped into
// ::ffff:0:0/96, so one comparison serves both families on the verifier's hot path.
import ipaddr from "ipaddr.js";

export type Ip = Uint8Array; // 16 bytes

/**
 * Parses an address (IPv4, IPv6, or IPv4-mapped IPv6) to 16 bytes, or null. IPv4 must be four
 * decimal parts (no "01.2.3.4" octal or "0x7f.1" forms, which some parsers read as other
 * addresses), and IPv6 zone ids ("fe80::1%eth0") are refused.
 */
export function parseIp(input: string): Ip | null {
  const s = input.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return Uint8Array.from(ipaddr.IPv4.parse(s).toIPv4MappedAddress().toByteArray());
  if (!s.includes(":") || s.includes("%") || !ipaddr.IPv6.isValid(s)) return null;
  return Uint8Array.from(ipaddr.IPv6.parse(s).toByteArray());
}

export interface Cidr {
  base: Ip;
  bits: number; // prefix length over the 128-bit form
  text: string; // canonical, as stored
}

const isV4Text = (s: string) => !s.includes(":");

/** Parses "1.2.3.4", "10.0.0.0/8", "2001:db8::/32" (an address is a /32 or /128). */
export function parseCidr(input: string): Cidr | null {
  const s = input.trim();
  const [addr, prefix, extra] = s.split("/");
  if (extra !== undefined || !addr) return null;
  const ip = parseIp(addr);
  if (!ip) return null;
  const v4 = isV4Text(addr);
  const max = v4 ? 32 : 128;
  if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return null;
  const len = prefix === undefined ? max : Number(prefix);
  if (len > max) return null;
  const bits = v4 ? len + 96 : len;
  const text = prefix === undefined ? addr.toLowerCase() : `${addr.toLowerCase()}/${len}`;
  return { base: mask(ip, bits), bits, text };
}

function mask(ip: Ip, bits: number): Ip {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    out[i] = ip[i] & ((0xff << (8 - keep)) & 0xff);
  }
  return out;
}

export function cidrContains(range: Cidr, ip: Ip): boolean {
  const m = mask(ip, range.bits);
  for (let i = 0; i < 16; i++) if (m[i] !== range.base[i]) return false;
  return true;
}

/** Empty list means any address is allowed. */
export function ipAllowed(list: readonly Cidr[], ip: Ip | null): boolean {
  if (list.length === 0) return true;
  return !!ip && list.some((r) => cidrContains(r, ip));
}

export const IP_ENTRY_ERROR = (entry: string) =>
  `“${entry.length > 50 ? `${entry.slice(0, 50)}…` : entry}” is not an IPv4 or IPv6 address or CIDR range (e.g. 203.0.113.7, 10.0.0.0/8, 2001:db8::/32).`;
