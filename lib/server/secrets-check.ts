import "server-only";
import { createHmac } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { authSecret } from "@/lib/auth/secret";
import { encryptionKey } from "@/lib/crypto/encryption";
import { env } from "@/lib/env";

/** Shortest AUTH_SECRET accepted in production (`openssl rand -base64 32` gives 44 characters). */
export const MIN_AUTH_SECRET_LENGTH = 32;
const SETTING = "secret-fingerprints";

export class SecretsError extends Error {}

/** What is wrong with the secrets this process was given, in production; null when they will do. */
export function secretsProblem(e = env()): string | null {
  if (e.KEYPORT_ENV !== "production") return null;
  if (!e.AUTH_SECRET)
    return "AUTH_SECRET is not set. Production needs one (for example `openssl rand -base64 32`), the same on every instance.";
  if (e.AUTH_SECRET.length < MIN_AUTH_SECRET_LENGTH)
    return `AUTH_SECRET is ${e.AUTH_SECRET.length} characters long; production needs at least ${MIN_AUTH_SECRET_LENGTH} (for example \`openssl rand -base64 32\`).`;
  if (!e.KEYPORT_ENCRYPTION_KEY)
    return "KEYPORT_ENCRYPTION_KEY is not set. Production needs 32 random bytes, base64 (`openssl rand -base64 32`).";
  if (Buffer.from(e.KEYPORT_ENCRYPTION_KEY, "base64").length !== 32)
    return "KEYPORT_ENCRYPTION_KEY must be 32 bytes, base64-encoded (`openssl rand -base64 32`).";
  if (e.KEYPORT_METRICS_TOKEN && e.KEYPORT_METRICS_TOKEN.length < 16) return "KEYPORT_METRICS_TOKEN must be at least 16 characters long.";
  return null;
}

/** A fingerprint that identifies a secret without revealing anything of it. */
const fingerprint = (secret: string | Buffer) =>
  createHmac("sha256", secret).update("keyport-secret-fingerprint-v1").digest("hex").slice(0, 16);

/**
 * Every instance on one database must sign sessions and encrypt with the same secrets, or a
 * session made on one is refused by another and seeds encrypted by one cannot be read by another.
 * The first instance records fingerprints of its secrets in the database; each later one compares
 * and refuses to start on a mismatch, naming the secret. KEYPORT_REPLACE_SECRETS=1 records this
 * instance's instead (after a deliberate change of AUTH_SECRET: every session ends).
 */
export async function checkSharedSecrets(db: Db): Promise<void> {
  const mine = { auth: fingerprint(authSecret()), encryption: fingerprint(encryptionKey()) };
  if (env().KEYPORT_REPLACE_SECRETS === "1") {
    await db.setting.upsert({
      where: { key: SETTING },
      create: { key: SETTING, value: mine },
      update: { value: mine, updatedAt: new Date() },
    });
    return;
  }
  await db.setting.createMany({ data: [{ key: SETTING, value: mine }], skipDuplicates: true });
  const stored = (await db.setting.findUniqueOrThrow({ where: { key: SETTING } })).value as typeof mine;
  const differs = [
    stored.auth !== mine.auth ? "AUTH_SECRET" : null,
    stored.encryption !== mine.encryption ? "KEYPORT_ENCRYPTION_KEY" : null,
  ].filter(Boolean);
  if (differs.length)
    throw new SecretsError(
      `${differs.join(" and ")} of this instance ${differs.length > 1 ? "differ" : "differs"} from the one the other instances on this database use ` +
        `(fingerprints ${differs.map((d) => (d === "AUTH_SECRET" ? `${mine.auth} here, ${stored.auth} there` : `${mine.encryption} here, ${stored.encryption} there`)).join("; ")}). ` +
        "Give every instance the same value. After a deliberate change, start once with KEYPORT_REPLACE_SECRETS=1.",
    );
}
