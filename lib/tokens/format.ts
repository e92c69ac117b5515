import { timingSafeEqual } from "node:crypto";
import { checksumOf, hashSecret, randomBase62, RANDOM_LENGTH } from "@/lib/keys/secret";

// Management tokens: `kpm_` + 32 base62 characters from the OS CSPRNG + the CRC32 of those in
// base62 (6 characters), the same shape as key secrets, so a secret scanner recognises a leaked
// one and a typo is refused before any database lookup. Only the SHA-256 is stored.
export const TOKEN_PREFIX = "kpm_";
export const TOKEN_LENGTH = TOKEN_PREFIX.length + RANDOM_LENGTH + 6;
const TOKEN_RE = /^kpm_([0-9A-Za-z]{32})([0-9A-Za-z]{6})$/;

export function generateToken(): string {
  const random = randomBase62(RANDOM_LENGTH);
  return `${TOKEN_PREFIX}${random}${checksumOf(random)}`;
}

/** Shape and checksum only. */
export function isTokenShape(token: unknown): token is string {
  if (typeof token !== "string" || token.length !== TOKEN_LENGTH) return false;
  const m = TOKEN_RE.exec(token);
  if (!m) return false;
  return timingSafeEqual(Buffer.from(m[2]), Buffer.from(checksumOf(m[1])));
}

/** SHA-256 hex: what the database keeps. */
export const hashToken = (token: string) => hashSecret(token);

/** What the page shows of a token: its prefix and last four characters. */
export const tokenHint = (token: string) => `${TOKEN_PREFIX}…${token.slice(-4)}`;
