import "server-only";
import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { decrypt, encrypt } from "@/lib/crypto/encryption";

/** The label the signing secret is derived under: changing it would break every receiver. */
export const SIGNING_LABEL = "keyport-webhook-signing-v1";

/**
 * base64(HMAC-SHA256(key = the API secret, "keyport-webhook-signing-v1")): whoever holds the key
 * can derive it, so a receiver needs no second secret. Only computed where the raw secret exists.
 */
export const deriveSigningSecret = (apiSecret: string) => createHmac("sha256", apiSecret).update(SIGNING_LABEL).digest("base64");

/** The nested create that stores a new credential's signing secret, encrypted (AES-256-GCM, like TOTP seeds). */
export const signingSecretRow = (apiSecret: string) => ({ create: { secretEnc: encrypt(deriveSigningSecret(apiSecret)) } });

export const openSigningSecret = (secretEnc: string) => decrypt(secretEnc);

/**
 * The Standard Webhooks headers for one delivery. Each secret adds a signature, space-separated,
 * as the specification allows: during a rotation's grace window the new and the previous key
 * both sign, so a receiver configured with either accepts it.
 */
export function signDelivery(msgId: string, at: Date, body: string, secrets: readonly string[]) {
  if (!secrets.length) throw new Error("No signing secret");
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": secrets.map((s) => new Webhook(s).sign(msgId, at, body)).join(" "),
  };
}
