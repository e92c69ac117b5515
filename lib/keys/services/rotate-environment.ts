import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { inTransaction } from "@/lib/core/transaction";
import type { Actor } from "@/lib/core/actor";
import { enqueueKeyMail } from "@/lib/mail/outbox";
import type { Environment, IssuedSecret } from "../types";
import { bulkRotationStep, rotationState, type GraceOption, type ShownKey } from "../rotation";
import { assertBatchCurrent, assertShownKeysExist, staleAsBatch } from "./batch";
import { assertCan } from "./guards";
import { lockKey } from "./key-access";
import { keyMailProps } from "./mail-props";
import { rotateInTx } from "./rotate-key";

/** What a bulk rotation did to one key: rotated (its new secret, shown once), or left mid-rotation. */
export type BulkRotationResult =
  | (IssuedSecret & { outcome: "rotated"; previousExpiresAt: string; finishedWindow: boolean })
  | { outcome: "left-mid-rotation"; keyId: string; name: string; previousExpiresAt: string };

/**
 * Every key of one environment that may be rotated (rotationState: not revoked, not expired), in one transaction: all of them are handled,
 * or none is. A key mid-rotation is left as it is (reported, not refused) unless `finishWindows`:
 * then its previous key stops at once and it is rotated too. One mail per member lists the keys.
 * `shown` is what the page listed; if any of it changed meanwhile the whole batch is refused.
 */
export async function rotateEnvironment(
  db: Db | Tx,
  actor: Actor,
  environment: Environment,
  grace: GraceOption,
  shown: readonly ShownKey[],
  now = new Date(),
  opts: { finishWindows?: boolean } = {},
): Promise<BulkRotationResult[]> {
  assertCan(actor, "keys.rotate", environment);
  return inTransaction(db, async (tx) => {
    await assertShownKeysExist(tx, actor, shown);
    const keys = await tx.apiKey.findMany({
      where: { merchantId: actor.merchantId, environment, status: { not: "REVOKED" } },
      orderBy: { createdAt: "asc" },
      select: { id: true, version: true, status: true, expiresAt: true },
    });
    // The single rotation's rule, its window aside: a bulk rotation decides open windows itself (bulkRotationStep).
    const current = keys.filter((k) => rotationState(k, null, now).rotate.ok);
    assertBatchCurrent(shown, current);
    const shownVersion = new Map(shown.map((s) => [s.keyId, s.version]));
    // Each key is locked and its version checked again: a rotation that committed after the read
    // above still makes the whole batch stale.
    const results = await staleAsBatch(async () => {
      const done: BulkRotationResult[] = [];
      for (const k of current) {
        const version = shownVersion.get(k.id)!;
        const key = await lockKey(tx, actor, k.id, version, { noWait: true });
        const previous = await tx.credential.findFirst({ where: { apiKeyId: k.id, slot: "PREVIOUS" } });
        const step = bulkRotationStep(rotationState(k, previous, now).windowOpen, !!opts.finishWindows);
        if (step === "leave-mid-rotation") {
          done.push({ outcome: "left-mid-rotation", keyId: k.id, name: key.name, previousExpiresAt: previous!.expiresAt!.toISOString() });
          continue;
        }
        const finishedWindow = step === "finish-window-and-rotate";
        const issued = await rotateInTx(
          tx,
          actor,
          k.id,
          { grace, version, action: "key.rotated", replaceOpenWindow: finishedWindow, mail: false },
          now,
        );
        done.push({ ...issued, outcome: "rotated", finishedWindow });
      }
      return done;
    });
    const rotated = results.filter((r) => r.outcome === "rotated");
    if (rotated.length) {
      const first = await tx.apiKey.findUniqueOrThrow({
        where: { id: rotated[0].keyId },
        select: { id: true, name: true, environment: true, merchantId: true },
      });
      const keys = rotated.map((r) => ({ name: r.name, previousExpiresAt: grace === "now" ? null : r.previousExpiresAt }));
      const props = await keyMailProps(tx, first, actor, now, {
        keyName: `${keys.length} ${keys.length === 1 ? "key" : "keys"}`,
        keys,
        keysCount: keys.length,
      });
      await enqueueKeyMail(tx, actor.merchantId, "keys-rotated", `bulk:${actor.merchantId}:${environment}:${now.getTime()}`, props);
    }
    return results;
  });
}
