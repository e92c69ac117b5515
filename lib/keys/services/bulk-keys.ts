import "server-only";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/core/actor";
import type { Role } from "@/lib/keys/types";
import { AppError } from "@/lib/core/errors";
import { canInSomeEnvironment } from "@/lib/core/permissions";
import { isUuid } from "@/lib/core/ids";
import { checkOwnerStepUp, spendOwnerStepUp, type OwnerProof } from "@/lib/auth/owner-step-up";
import { readImpact, type ImpactPreview } from "@/lib/data/impact";
import { changeKeyStatus } from "./change-key-status";
import { deleteKey } from "./delete-key";
import { BULK_PERMISSION, bulkNeedsStepUp, bulkSkipReason, type BulkAction } from "./bulk-rules";
import { errorMessage, logger } from "@/lib/core/log";

export interface BulkPlan {
  action: BulkAction;
  /** The keys the action applies to, at the versions read now: the dialog sends them back. */
  apply: { keyId: string; name: string; version: number }[];
  skipped: { keyId: string; name: string; reason: string }[];
  /** The traffic that stops, over every key it applies to (none for Enable). */
  impact: ImpactPreview | null;
  stepUp: boolean;
}
export interface BulkResult {
  done: { keyId: string; name: string }[];
  refused: { keyId: string; name: string; reason: string }[];
}

/** The selection's keys, all of them the actor's merchant's: one that is not answers like a missing key. */
async function selectedKeys(db: Db, actor: Actor, keyIds: readonly string[]) {
  const ids = [...new Set(keyIds)];
  if (!ids.every(isUuid)) throw new AppError("NOT_FOUND");
  const keys = await db.apiKey.findMany({
    where: { id: { in: ids }, merchantId: actor.merchantId },
    select: { id: true, name: true, status: true, environment: true, version: true },
  });
  if (keys.length !== ids.length) throw new AppError("NOT_FOUND");
  const byId = new Map(keys.map((k) => [k.id, k]));
  return ids.map((id) => byId.get(id)!);
}

/** Read-only: what a bulk action would do to the selection, said before anyone confirms. */
export async function planBulkAction(
  db: Db,
  actor: Actor,
  action: BulkAction,
  keyIds: readonly string[],
  now = new Date(),
): Promise<BulkPlan> {
  const keys = await selectedKeys(db, actor, keyIds);
  const plan: BulkPlan = { action, apply: [], skipped: [], impact: null, stepUp: bulkNeedsStepUp(action) };
  for (const k of keys) {
    const reason = bulkSkipReason(k, action, actor.role);
    if (reason) plan.skipped.push({ keyId: k.id, name: k.name, reason });
    else plan.apply.push({ keyId: k.id, name: k.name, version: k.version });
  }
  if (action !== "enable" && plan.apply.length) {
    plan.impact = await readImpact(
      db,
      actor.merchantId,
      plan.apply.map((k) => k.keyId),
      "all",
      now,
    );
  }
  return plan;
}

const SERVICES: Record<
  BulkAction,
  (tx: Parameters<typeof deleteKey>[0], actor: Actor, keyId: string, version: number) => Promise<unknown>
> = {
  disable: (tx, actor, keyId, version) => changeKeyStatus(tx, actor, keyId, "disable", { version }),
  enable: (tx, actor, keyId, version) => changeKeyStatus(tx, actor, keyId, "enable", { version }),
  revoke: (tx, actor, keyId, version) => changeKeyStatus(tx, actor, keyId, "revoke", { version }),
  delete: (tx, actor, keyId, version) => deleteKey(tx, actor, keyId, { version }),
};

/**
 * Applies the action key by key, each in its own transaction through the single action's service
 * (its audit row, feed row and mail included). A refused key is reported and the others go on.
 * Step-up: the role first, then one code checked for the whole batch and spent inside the first
 * key's transaction that commits, so a batch where nothing changed leaves the code unused.
 */
export async function runBulkAction(
  db: Db,
  actor: Actor,
  action: BulkAction,
  items: readonly { keyId: string; version: number }[],
  otp?: string,
  { keepConfirmed = false }: { keepConfirmed?: boolean } = {},
): Promise<BulkResult> {
  const mayAct = (role: Role) => canInSomeEnvironment(role, BULK_PERMISSION[action]);
  if (!mayAct(actor.role)) throw new AppError("FORBIDDEN");
  const keys = await selectedKeys(
    db,
    actor,
    items.map((i) => i.keyId),
  );
  // The same helper as every single step-up action: the role, then the code, spent in a transaction below.
  // Bulk revoke and delete show no secret: the session's sudo window may stand in for a code.
  const proof: OwnerProof | null = bulkNeedsStepUp(action) ? await checkOwnerStepUp(db, actor, otp, mayAct, { sudo: true }) : null;
  const versions = new Map(items.map((i) => [i.keyId, i.version]));
  const result: BulkResult = { done: [], refused: [] };
  for (const k of keys) {
    const skip = bulkSkipReason(k, action, actor.role);
    if (skip) {
      result.refused.push({ keyId: k.id, name: k.name, reason: skip });
      continue;
    }
    try {
      await db.$transaction(
        async (tx) => {
          await SERVICES[action](tx, actor, k.id, versions.get(k.id)!);
          // Last, after the key row (the lock order of every step-up change), and once per batch.
          if (proof && !result.done.length) await spendOwnerStepUp(tx, actor, proof, { keepConfirmed });
        },
        { timeout: 15_000, maxWait: 15_000 },
      );
      result.done.push({ keyId: k.id, name: k.name });
    } catch (err) {
      // The code was used meanwhile by another request: nothing of this batch has changed yet.
      if (err instanceof AppError && err.code === "STEP_UP_INVALID" && !result.done.length) throw err;
      if (!(err instanceof AppError)) logger().error({ area: "bulk", keyId: k.id, err: errorMessage(err) }, "bulk action failed for a key");
      result.refused.push({
        keyId: k.id,
        name: k.name,
        reason: err instanceof AppError ? err.message : "Something went wrong; it was not changed.",
      });
    }
  }
  return result;
}
