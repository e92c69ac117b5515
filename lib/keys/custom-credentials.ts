import "server-only";
import { scrypt, timingSafeEqual } from "node:crypto";
import { hashPassword, verifyPassword } from "@/lib/auth/password";

// User-typed passwords are low-entropy, so they get the same slow, salted hash as sign-in
// passwords (Argon2id), unlike generated secrets, whose 190 bits make SHA-256 enough. Rows
// written before Argon2id keep their scrypt hash, which still verifies.
export const hashCustomSecret = (password: string): Promise<string> => hashPassword(password);

/** A stored hash, parsed for the password threads: an Argon2id PHC string, or a legacy scrypt one. */
export type CustomHash =
  | { scheme: "argon2id"; phc: string }
  | { scheme: "scrypt"; n: number; r: number; p: number; salt: string; key: string };

/** The parts of a stored hash (`$argon2id$…`, or legacy `scrypt$N$r$p$salt$key`), or null for anything else. */
export function parseCustomHash(stored: string): CustomHash | null {
  if (/^\$argon2id\$v=19\$m=\d{1,7},t=\d{1,3},p=\d{1,3}\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.test(stored))
    return { scheme: "argon2id", phc: stored };
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key || ![n, r, p].every((x) => /^\d{1,6}$/.test(x))) return null;
  return { scheme: "scrypt", n: Number(n), r: Number(r), p: Number(p), salt, key };
}

export async function verifyCustomSecret(stored: string, password: string): Promise<boolean> {
  const h = parseCustomHash(stored);
  if (!h) return false;
  if (h.scheme === "argon2id") return verifyPassword(h.phc, password);
  const expected = Buffer.from(h.key, "base64url");
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, Buffer.from(h.salt, "base64url"), expected.length, { N: h.n, r: h.r, p: h.p, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
  return expected.length > 0 && timingSafeEqual(expected, actual);
}

// Checked against when the user name is unknown, so an unknown and a known name cost the same.
let dummy: Promise<string> | undefined;
export const dummyCustomHash = () => (dummy ??= hashCustomSecret("keyport-timing-equaliser"));

/** Display hint of a typed password: a fixed mask, so neither its characters nor its length show. */
export const CUSTOM_SECRET_MASK = "••••••••";
export const customSecretHint = (_password: string) => CUSTOM_SECRET_MASK;
