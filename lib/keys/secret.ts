import { hash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import type { Environment } from "./types";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const RANDOM_LENGTH = 32; // 32 × log2(62) ≈ 190.5 bits
export const CHECKSUM_LENGTH = 6; // 62^6 > 2^32, so any CRC32 fits

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

/** The value of one base62 digit, or -1. */
const digit = (c: number) => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : c >= 97 && c <= 122 ? c - 61 : -1);

/** kp_live_ or kp_test_ and 38 base62 characters: the shape, without the checksum. */
export function hasSecretShape(secret: unknown): secret is string {
  if (typeof secret !== "string" || secret.length !== 46 || !(secret.startsWith("kp_live_") || secret.startsWith("kp_test_"))) return false;
  for (let i = 8; i < 46; i++) if (digit(secret.charCodeAt(i)) < 0) return false;
  return true;
}

/**
 * The checksum of a secret of the right shape. Allocates nothing but the random part: the six
 * digits are decoded and compared with the CRC as numbers (each number below 62^6 has one
 * six-digit spelling, so this is the same test as comparing the strings). The checksum is public
 * (anyone can compute it from the rest of the key), so a comparison whose time varies leaks
 * nothing.
 */
export function checksumMatches(secret: string): boolean {
  let sum = 0;
  for (let i = 40; i < 46; i++) sum = sum * 62 + digit(secret.charCodeAt(i));
  return sum === crc32(secret.slice(8, 40)) >>> 0;
}

/** Shape and checksum: rejects typos and garbage before any database lookup. */
export function parseSecret(secret: unknown): ParsedSecret | null {
  if (!hasSecretShape(secret) || !checksumMatches(secret)) return null;
  return { env: secret.startsWith("kp_live_") ? "production" : "sandbox", random: secret.slice(8, 40) };
}

/** SHA-256 hex (one-shot: a quarter of createHash's cost on the verification hot path). */
export const hashSecret = (secret: string) => hash("sha256", secret, "hex");

/** What the portal may show of a secret: its prefix and last four characters. */
export const secretHint = (secret: string) => `${secret.slice(0, 8)}…${secret.slice(-4)}`;

/** An access key as roles that may not copy it see it: prefix and last four characters. */
export const maskAccessKey = (accessKey: string) => `${accessKey.slice(0, 8)}…${accessKey.slice(-4)}`;

/** Public identifier of a credential, shown and copyable at any time. */
export const generateAccessKey = (env: Environment) => `ak_${envPrefix(env)}_${randomBase62(24)}`;
