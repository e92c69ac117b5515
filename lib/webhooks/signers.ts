import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { openSigningSecret } from "./signing";

/**
 * The secrets that sign a delivery now: the signing key's current credential, and its previous
 * one while the rotation's grace window is still open (so either key verifies). After the window
 * ends, "revoke now" or a rollback, the previous credential is gone and only one signs.
 */
export async function signingSecretsOf(db: Db | Tx, keyId: string, now: Date): Promise<string[]> {
  const creds = await db.credential.findMany({
    where: { apiKeyId: keyId, OR: [{ slot: "CURRENT" }, { slot: "PREVIOUS", expiresAt: { gt: now } }] },
    select: { slot: true, webhookSigningSecret: { select: { secretEnc: true } } },
    orderBy: { slot: "asc" },
  });
  return creds.flatMap((c) => (c.webhookSigningSecret ? [openSigningSecret(c.webhookSigningSecret.secretEnc)] : []));
}

/** Whether a key's current credential has a derived signing secret (keys older than webhooks have none). */
export async function canSign(db: Db | Tx, keyId: string): Promise<boolean> {
  const n = await db.webhookSigningSecret.count({ where: { credential: { apiKeyId: keyId, slot: "CURRENT" } } });
  return n > 0;
}
