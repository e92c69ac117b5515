"use server";
import { BULK_PERMISSION, bulkPlanSchema, bulkRunSchema, type BulkAction } from "@/lib/keys/services/bulk-rules";
import { planBulkAction, runBulkAction } from "@/lib/keys/services/bulk-keys";
import { defineMerchantAction } from "./safe-action";

/** Read-only: which selected keys an action applies to, which are skipped and why, and the traffic that stops. */
export const planBulkKeysAction = defineMerchantAction({
  permission: "keys.read",
  schema: bulkPlanSchema,
  run: ({ actor, db, input }) => planBulkAction(db, actor, input.action, input.keyIds),
});

// One transaction per key through the single action's service; revoke and delete take one code for the batch.
const bulk = (action: BulkAction) =>
  defineMerchantAction({
    permission: BULK_PERMISSION[action],
    schema: bulkRunSchema,
    run: ({ actor, db, input }) => runBulkAction(db, actor, action, input.keys, input.otp, { keepConfirmed: input.keepConfirmed }),
    revalidate: "developers",
  });

export const bulkDisableKeysAction = bulk("disable");
export const bulkEnableKeysAction = bulk("enable");
export const bulkRevokeKeysAction = bulk("revoke");
export const bulkDeleteKeysAction = bulk("delete");
