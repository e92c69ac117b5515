import "server-only";
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

// User-typed passwords are low-entropy, so they get a slow, salted hash (scrypt), unlike
// generated secrets, whose 190 bits make SHA-256 enough.
const N = 16_384;
const R = 8;
const P = 1;
const KEYLEN = 32;

const derive = (password: string, salt: Buffer, n = N, r = R, p = P) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, KEYLEN, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );

export async function hashCustomSecret(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt);
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export interface CustomHash {
  n: number;
  r: number;
  p: number;
  salt: string;
  key: string;
}

/** The parts of a stored `scrypt$N$r$p$salt$key` hash, or null for anything else. */
export function parseCustomHash(stored: string): CustomHash | null {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key || ![n, r, p].every((x) => /^\d{1,6}$/.test(x))) return null;
  return { n: Number(n), r: Number(r), p: Number(p), salt, key };
}

export async function verifyCustomSecret(stored: string, password: string): Promise<boolean> {
  const h = parseCustomHash(stored);
  if (!h) return false;
  const expected = Buffer.from(h.key, "base64url");
  const actual = await derive(password, Buffer.from(h.salt, "base64url"), h.n, h.r, h.p);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

// Checked against when the user name is unknown, so an unknown and a known name cost the same.
let dummy: Promise<string> | undefined;
export const dummyCustomHash = () => (dummy ??= hashCustomSecret("keyport-timing-equaliser"));

/** Display hint of a typed password: a fixed mask, so neither its characters nor its length show. */
export const CUSTOM_SECRET_MASK = "••••••••";
export const customSecretHint = (_password: string) => CUSTOM_SECRET_MASK;
