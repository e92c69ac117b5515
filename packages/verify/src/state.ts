import { createHash } from "node:crypto";
import { BlockList, isIP } from "node:net";
import { crc32 } from "node:zlib";

/** The outcomes of POST /api/v1/keys/verify, in the same words. */
export type Outcome =
  | "VALID"
  | "NOT_FOUND"
  | "DISABLED"
  | "REVOKED"
  | "EXPIRED"
  | "IP_NOT_ALLOWED"
  | "INSUFFICIENT_PERMISSIONS"
  | "RATE_LIMITED"
  | "MALFORMED";

/** What POST /api/v1/keys/verify answers, field for field, plus its Sunset header as `sunset`. */
export interface VerifyResult {
  valid: boolean;
  outcome: Outcome;
  keyId: string | null;
  merchantId: string | null;
  environment: "sandbox" | "production" | null;
  channel: string | null;
  permissions: string[];
  expiresAt: string | null;
  /** A rotation's previous key, still in its grace window: when it stops working. */
  rotation?: { previousExpiresAt: string };
  /** The HTTP API's `Sunset` header (an HTTP date), for a previous key in its grace window; else null. */
  sunset: string | null;
  /** Answered from this process's cache (no call to Keyport). */
  cached: boolean;
}

/** A credential's state as Keyport hands it to the SDK for caching (POST /api/v1/sdk/verify). */
export interface KeyState {
  keyId: string;
  merchantId: string;
  environment: "sandbox" | "production";
  channel: string;
  status: "ENABLED" | "DISABLED" | "REVOKED";
  permissions: string[];
  ipAllowList: string[];
  channelIpAllowList: string[] | null;
  expiresAt: number;
  credentialId: string;
  slot: "CURRENT" | "PREVIOUS";
  credentialExpiresAt: number | null;
}

/** A cached state with its address lists compiled once. */
export interface CachedState extends KeyState {
  keyList: BlockList | null;
  channelList: BlockList | null;
}

const digit = (c: number) => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : c >= 97 && c <= 122 ? c - 61 : -1);

/** kp_live_ or kp_test_, 32 base62 characters and their 6-character base62 CRC32: Keyport's secret key format. */
export function isWellFormedKey(key: unknown): key is string {
  if (typeof key !== "string" || key.length !== 46 || !(key.startsWith("kp_live_") || key.startsWith("kp_test_"))) return false;
  let sum = 0;
  for (let i = 8; i < 46; i++) {
    const d = digit(key.charCodeAt(i));
    if (d < 0) return false;
    if (i >= 40) sum = sum * 62 + d;
  }
  return sum === crc32(key.slice(8, 40)) >>> 0;
}

/** The cache's key: SHA-256 of the secret (the secret itself is never kept). */
export const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

function blockList(entries: readonly string[]): BlockList | null {
  if (!entries.length) return null;
  const list = new BlockList();
  for (const e of entries) {
    const [addr, prefix] = e.split("/");
    const family = isIP(addr);
    if (!family) continue;
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(prefix), type);
  }
  return list;
}

export const compile = (s: KeyState): CachedState => ({
  ...s,
  keyList: blockList(s.ipAllowList),
  channelList: s.channelIpAllowList?.length ? blockList(s.channelIpAllowList) : null,
});

/** "::ffff:203.0.113.7" is 203.0.113.7, as Keyport reads it. */
function normalise(ip: string | undefined): { addr: string; type: "ipv4" | "ipv6" } | null {
  if (!ip) return null;
  let addr = ip.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
  if (mapped) addr = mapped[1];
  const family = isIP(addr);
  return family ? { addr, type: family === 4 ? "ipv4" : "ipv6" } : null;
}
const allowed = (list: BlockList | null, ip: ReturnType<typeof normalise>) => !list || (!!ip && list.check(ip.addr, ip.type));

/**
 * Keyport's decision for a found credential, in its documented order (revoked → disabled →
 * expired → IP not allowed → insufficient permissions), against the clock now: a cached key
 * expires, and a grace window ends, without a word from Keyport.
 */
export function decide(s: CachedState, now: number, ip: string | undefined, wanted: readonly string[]): Outcome {
  if (s.status === "REVOKED") return "REVOKED";
  if (s.slot === "PREVIOUS" && (s.credentialExpiresAt === null || s.credentialExpiresAt <= now)) return "REVOKED";
  if (s.status === "DISABLED") return "DISABLED";
  if (s.expiresAt <= now) return "EXPIRED";
  if (s.keyList || s.channelList) {
    const addr = normalise(ip);
    if (!allowed(s.keyList, addr) || !allowed(s.channelList, addr)) return "IP_NOT_ALLOWED";
  }
  if (wanted.some((p) => !s.permissions.includes(p))) return "INSUFFICIENT_PERMISSIONS";
  return "VALID";
}

/** The HTTP API's answer for an outcome of a state (or of no state). */
export function resultFor(outcome: Outcome, s: KeyState | null, cached: boolean): VerifyResult {
  const body: VerifyResult = {
    valid: outcome === "VALID",
    outcome,
    keyId: s?.keyId ?? null,
    merchantId: s?.merchantId ?? null,
    environment: s?.environment ?? null,
    channel: s?.channel ?? null,
    permissions: s ? s.permissions : [],
    expiresAt: s ? new Date(s.expiresAt).toISOString() : null,
    sunset: null,
    cached,
  };
  if (outcome === "VALID" && s?.slot === "PREVIOUS" && s.credentialExpiresAt) {
    body.rotation = { previousExpiresAt: new Date(s.credentialExpiresAt).toISOString() };
    body.sunset = new Date(s.credentialExpiresAt).toUTCString();
  }
  return body;
}
