import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { localSecret } from "@/lib/paths";
import { env, isProduction } from "@/lib/env";

// AES-256-GCM for secrets we must read back (TOTP seeds). The key comes from
// KEYPORT_ENCRYPTION_KEY (32 bytes, base64); outside production a generated one is kept in .data/.
let cached: Buffer | undefined;

export function encryptionKey(): Buffer {
  if (cached) return cached;
  const fromEnv = env().KEYPORT_ENCRYPTION_KEY;
  if (fromEnv) {
    const key = Buffer.from(fromEnv, "base64");
    if (key.length !== 32) throw new Error("KEYPORT_ENCRYPTION_KEY must be 32 bytes, base64-encoded");
    return (cached = key);
  }
  if (isProduction()) {
    throw new Error("KEYPORT_ENCRYPTION_KEY is required in production");
  }
  return (cached = Buffer.from(localSecret("encryption.key"), "base64"));
}

export function encrypt(plain: string, key = encryptionKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function decrypt(sealed: string, key = encryptionKey()): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !data) throw new Error("Unreadable ciphertext");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
