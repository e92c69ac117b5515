import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { rotateInTx } from "./rotate-key";
import { ownCredential } from "./own-credential";
import { inTransaction } from "@/lib/core/transaction";
import type { Actor } from "@/lib/core/actor";
import type { IssuedSecret } from "@/lib/keys/types";

/**
 * Regenerate = rotate with "Now": a new credential at once, the old one stops in the same commit
 * (even one still in an open grace window). Everything else about the key stays as it was.
 */
export async function regenerateKey(
  db: Db | Tx,
  actor: Actor,
  keyId: string,
  opts: { version?: number; own?: { username: string; password: string } } = {},
  now = new Date(),
): Promise<IssuedSecret> {
  const own = opts.own ? await ownCredential(opts.own.username, opts.own.password, actor.userId) : undefined;
  return inTransaction(db, (tx) =>
    rotateInTx(tx, actor, keyId, { grace: "now", version: opts.version, replaceOpenWindow: true, action: "key.regenerated", own }, now),
  );
}
