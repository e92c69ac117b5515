import "server-only";
import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/core/actor";
import { inTransaction } from "@/lib/core/transaction";
import { recordAudit } from "@/lib/audit/record";
import { assertCan } from "@/lib/keys/services/guards";
import { ENVIRONMENTS, type Environment } from "@/lib/keys/types";
import { confirmedField, keepConfirmedField, otpField } from "@/lib/keys/schema";
import { GRACE_OPTIONS } from "@/lib/keys/rotation";
import { DEFAULT_POLICY } from "./report";

/** The grace windows a policy may choose: the rotation's own, but "Now" (that is "Revoke now"). */
export const POLICY_GRACE_HOURS = GRACE_OPTIONS.filter((g) => g.ms > 0).map((g) => g.ms / 3_600_000);

export const exposurePolicySchema = z.strictObject({
  environment: z.enum(ENVIRONMENTS),
  action: z.enum(["ALERT", "ROTATE", "REVOKE"]),
  graceHours: z
    .number()
    .int()
    .refine((h) => POLICY_GRACE_HOURS.includes(h), { message: "Choose one of the grace windows offered." }),
  confirmed: confirmedField("Tick “I confirm changing what happens to exposed keys”."),
  otp: otpField,
  keepConfirmed: keepConfirmedField,
});

export async function exposurePolicy(db: Db | Tx, merchantId: string, environment: Environment) {
  const row = await db.exposurePolicy.findUnique({ where: { merchantId_environment: { merchantId, environment } } });
  return row ? { action: row.action, graceHours: row.graceHours } : DEFAULT_POLICY;
}

/** Owners set what a leak report does to their keys of one environment; the audit keeps before and after. */
export async function setExposurePolicy(
  db: Db | Tx,
  actor: Actor,
  input: { environment: Environment; action: "ALERT" | "ROTATE" | "REVOKE"; graceHours: number },
) {
  assertCan(actor, "keys.rotate", input.environment);
  return inTransaction(db, async (tx) => {
    const before = await exposurePolicy(tx, actor.merchantId, input.environment);
    const after = { action: input.action, graceHours: input.graceHours };
    await tx.exposurePolicy.upsert({
      where: { merchantId_environment: { merchantId: actor.merchantId, environment: input.environment } },
      create: { merchantId: actor.merchantId, environment: input.environment, ...after },
      update: after,
    });
    await recordAudit(tx, actor, {
      merchantId: actor.merchantId,
      action: "exposure_policy.updated",
      before: { environment: input.environment, ...before },
      after: { environment: input.environment, ...after },
    });
    return after;
  });
}
