// IPv4 / IPv6 addresses and CIDR ranges, in plain TypeScript (the same code validates in the
// browser form and matches on the server). Addresses are parsed to 16 bytes; IPv4 is mapped
// into ::ffff:0:0/96 so one comparison serves both families.

export type Ip = Uint8Array; // 16 bytes

function parseV4(s: string): number[] | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === "0")) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

function parseV6(s: string): number[] | null {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.split("::").length > 2) return null;
  let tail: number[] = [];
  let text = s;
  const lastColon = s.lastIndexOf(":");
  if (s.includes(".")) {
    const v4 = parseV4(s.slice(lastColon + 1));
    if (!v4) return null;
    tail = v4;
    text = s.slice(0, lastColon + 1) + "0:0"; // placeholder groups, replaced below
  }
  const [head, rest] = text.split("::");
  const groups = (x: string | undefined) => (x ? x.split(":") : []);
  const h = groups(head);
  const r = rest === undefined ? [] : groups(rest);
  if ([...h, ...r].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  const missing = 8 - h.length - r.length;
  if (rest === undefined ? missing !== 0 : missing < 1) return null;
  const all = [...h, ...Array(rest === undefined ? 0 : missing).fill("0"), ...r].map((g) => parseInt(g, 16));
  const bytes = all.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** Parses an address (IPv4, IPv6, or IPv4-mapped IPv6) to 16 bytes, or null. */
export function parseIp(input: string): Ip | null {
  const s = input.trim();
  const v4 = parseV4(s);
  if (v4) return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
  const v6 = s.includes(":") ? parseV6(s) : null;
  return v6 ? Uint8Array.from(v6) : null;
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
