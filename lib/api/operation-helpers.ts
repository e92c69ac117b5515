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

/**
 * The one version rule of the API door: every change is made against a version. The caller's, when
 * sent (If-Match style); otherwise the one read as the request arrives, so a change that commits
 * meanwhile still makes this one fail with 409 instead of being silently overwritten. (The
 * portal's actions always send the version the page showed: their schemas require it.)
 */
export const versionOf = async (db: Db | Tx, actor: Actor, keyId: string, sent?: number) =>
  sent ?? (await findKey(db, actor, keyId)).version;
