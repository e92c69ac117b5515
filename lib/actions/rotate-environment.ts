"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { GRACE_OPTIONS, type GraceOption } from "@/lib/keys/rotation";
import { ENVIRONMENTS } from "@/lib/keys/types";
import { versionField } from "@/lib/keys/schema";
import { rotateEnvironment, type BulkRotationResult } from "@/lib/keys/services/rotate-key";
import { rollbackEnvironment } from "@/lib/keys/services/rollback-rotation";
import { merchantAction, type ActionResult } from "./safe-action";
import { withOwnerStepUp } from "./step-up";
import type { IssuedSecret } from "@/lib/keys/types";

const bulkSchema = z.strictObject({
  environment: z.enum(ENVIRONMENTS),
  // The keys the page showed, with their versions: a batch that changed meanwhile is refused whole.
  keys: z.array(z.strictObject({ keyId: z.string().max(64), version: versionField })).max(1000),
  grace: z.enum(GRACE_OPTIONS.map((g) => g.value) as [GraceOption, ...GraceOption[]]).optional(),
  confirmed: z.literal(true, { error: "Tick the confirmation box." }),
  otp: z.string().max(20).optional(),
  // Rotate: keys mid-rotation are left as they are unless their windows are to be finished first.
  finishWindows: z.boolean().optional(),
});

/** "Rotate API Keys" on Credentials Details: every Enabled key of the environment, one OTP. */
export async function rotateEnvironmentAction(merchantId: string, input: unknown): Promise<ActionResult<BulkRotationResult[]>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const { environment, keys, grace, otp, finishWindows } = bulkSchema.parse(input);
    return withOwnerStepUp(db, actor, otp, (tx) => rotateEnvironment(tx, actor, environment, grace ?? "24h", keys, new Date(), { finishWindows }));
  });
}

/** "Rollback API Keys" for the environment after a bulk rotation. */
export async function rollbackEnvironmentAction(merchantId: string, input: unknown): Promise<ActionResult<{ count: number }>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const { environment, keys, otp } = bulkSchema.parse(input);
    const done = await withOwnerStepUp(db, actor, otp, (tx) => rollbackEnvironment(tx, actor, environment, keys));
    revalidatePath(`/merchants/${merchantId}/developers`, "layout");
    return { count: done.length };
  });
}
