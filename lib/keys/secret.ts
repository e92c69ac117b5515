import { hash, randomBytes, timingSafeEqual } from "node:crypto";
import { crc32 } from "node:zlib";
import type { Environment } from "./types";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const RANDOM_LENGTH = 32; // 32 × log2(62) ≈ 190.5 bits
export const CHECKSUM_LENGTH = 6; // 62^6 > 2^32, so any CRC32 fits
const SECRET_RE = /^kp_(test|live)_([0-9A-Za-z]{32})([0-9A-Za-z]{6})$/;

export const envPrefix = (env: Environment) => (env === "production" ? "live" : "test");

/** Uniform base62 from the OS CSPRNG, by rejection sampling (no modulo bias). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62]; // 248 = 4 × 62
      if (out.length === length) break;
    }
  }
  return out;
}

export function toBase62(n: number, width: number): string {
  let s = "";
  let v = n >>> 0;
  do {
    s = BASE62[v % 62] + s;
    v = Math.floor(v / 62);
  } while (v > 0);
  return s.padStart(width, "0");
}

export const checksumOf = (random: string) => toBase62(crc32(random), CHECKSUM_LENGTH);

export function generateSecret(env: Environment): string {
  const random = randomBase62(RANDOM_LENGTH);
  return `kp_${envPrefix(env)}_${random}${checksumOf(random)}`;
}

export type ParsedSecret = { env: Environment; random: string };

/** Shape and checksum only: rejects typos and garbage before any cache or database lookup. */
export function parseSecret(secret: unknown): ParsedSecret | null {
  if (typeof secret !== "string" || secret.length !== 46) return null;
  const m = SECRET_RE.exec(secret);
  if (!m) return null;
  const [, env, random, checksum] = m;
  const expected = checksumOf(random);
  if (!timingSafeEqual(Buffer.from(checksum), Buffer.from(expected))) return null;
  return { env: env === "live" ? "production" : "sandbox", random };
}

/** SHA-256 hex (one-shot: a quarter of createHash's cost on the verification hot path). */
export const hashSecret = (secret: string) => hash("sha256", secret, "hex");

/** What the portal may show of a secret: its prefix and last four characters. */
export const secretHint = (secret: string) => `${secret.slice(0, 8)}…${secret.slice(-4)}`;

/** An access key as roles that may not copy it see it: prefix and last four characters. */
export const maskAccessKey = (accessKey: string) => `${accessKey.slice(0, 8)}…${accessKey.slice(-4)}`;

/** Public identifier of a credential, shown and copyable at any time. */
export const generateAccessKey = (env: Environment) => `ak_${envPrefix(env)}_${randomBase62(24)}`;
