import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/core/actor";
import { findKey } from "@/lib/keys/services/key-access";
import { readKey } from "./reads";

export const KEYS = "/api/v1/merchants/{merchantId}/keys";
export const KEY = `${KEYS}/{keyId}`;

/** A secret-issuing service's answer with the key as it is now. */
export async function issued(
  db: Db | Tx,
  actor: Actor,
  out: { keyId: string; accessKey: string; secret: string; previousExpiresAt?: string },
) {
  return {
    key: await readKey(db, actor, out.keyId),
    accessKey: out.accessKey,
    secret: out.secret,
    previousExpiresAt: out.previousExpiresAt ?? null,
  };
}

/** The version the caller sent, or the one read now: a change made meanwhile then fails as a conflict. */
export const versionOf = async (db: Db | Tx, actor: Actor, keyId: string, sent?: number) =>
  sent ?? (await findKey(db, actor, keyId)).version;
