import "server-only";
import { createHmac } from "node:crypto";
import type { Tx } from "@/lib/db/client";
import { decrypt, encrypt } from "@/lib/crypto/encryption";
import { hashSecret } from "@/lib/keys/secret";

// Idempotency-Key on POST: the row is inserted first, inside the change's own transaction. A
// concurrent request with the same key blocks on the unique index until the first commits (then
// replays its answer) or rolls back (then runs itself): two requests never both make a change.
// Only a successful answer is kept; a refusal changed nothing and may simply be sent again.
export const IDEMPOTENCY_TTL_HOURS = 24;
const KEY_RE = /^[\x21-\x7e]{1,255}$/;

export const isIdempotencyKey = (key: string) => KEY_RE.test(key);

/** The request a key was first used for: method, path and body. */
export const requestHashOf = (method: string, path: string, body: string) => hashSecret(`${method}\n${path}\n${body}`);

/**
 * The stored answer can hold a one-time secret: it is encrypted with a key derived from the
 * token itself, which the database never holds, so only the token's holder can replay it.
 */
const answerKey = (token: string, key: string) => createHmac("sha256", token).update(`keyport-idempotency-v1:${key}`).digest();

export type Claim = { kind: "new"; id: string } | { kind: "replay"; status: number; body: string } | { kind: "mismatch" };

export async function claimIdempotencyKey(tx: Tx, tokenId: string, token: string, key: string, requestHash: string): Promise<Claim> {
  // The token's keys older than 24 hours are forgotten (the unique index's prefix finds them).
  await tx.$executeRaw`DELETE FROM idempotency_keys WHERE token_id = ${tokenId}::uuid AND created_at < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS}) AND key <> ${key}`;
  // A key older than 24 hours is taken over as new; a fresh one makes this statement return nothing.
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO idempotency_keys (id, token_id, key, request_hash, created_at)
    VALUES (gen_random_uuid(), ${tokenId}::uuid, ${key}, ${requestHash}, now())
    ON CONFLICT (token_id, key) DO UPDATE
      SET request_hash = EXCLUDED.request_hash, status = NULL, response_enc = NULL, created_at = EXCLUDED.created_at
      WHERE idempotency_keys.created_at < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})
    RETURNING id`;
  if (inserted.length) return { kind: "new", id: inserted[0].id };
  const row = await tx.idempotencyKey.findUnique({ where: { tokenId_key: { tokenId, key } } });
  if (!row || row.requestHash !== requestHash) return { kind: "mismatch" };
  if (row.status === null || !row.responseEnc) return { kind: "mismatch" };
  return { kind: "replay", status: row.status, body: decrypt(row.responseEnc, answerKey(token, key)) };
}

export async function storeAnswer(tx: Tx, id: string, token: string, key: string, status: number, body: string) {
  await tx.idempotencyKey.update({ where: { id }, data: { status, responseEnc: encrypt(body, answerKey(token, key)) } });
}
