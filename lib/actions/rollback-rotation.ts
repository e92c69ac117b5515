"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { rollbackRotation } from "@/lib/keys/services/rollback-rotation";
import { merchantAction, type ActionResult } from "./safe-action";
import { withOwnerStepUp } from "./step-up";

const rollbackSchema = z.strictObject({
  keyId: z.string().max(64),
  confirmed: z.literal(true, { error: "Tick “I confirm rolling back the API keys immediately”." }),
  otp: z.string().max(20).optional(),
});

export async function rollbackRotationAction(merchantId: string, input: unknown): Promise<ActionResult<null>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const { keyId, otp } = rollbackSchema.parse(input);
    await withOwnerStepUp(db, actor, otp, (tx) => rollbackRotation(tx, actor, keyId));
    revalidatePath(`/merchants/${merchantId}/developers`, "layout");
    return null;
  });
}
