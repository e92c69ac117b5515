"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { rollbackRotation } from "@/lib/keys/services/rollback-rotation";
import { merchantAction, type ActionResult } from "./safe-action";
import { requireOwnerStepUp } from "./step-up";

const rollbackSchema = z.strictObject({
  keyId: z.string().max(64),
  confirmed: z.literal(true, { error: "Tick “I confirm rolling back the API keys immediately”." }),
  otp: z.string().max(20).optional(),
});

export async function rollbackRotationAction(merchantId: string, input: unknown): Promise<ActionResult<null>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const { keyId, otp } = rollbackSchema.parse(input);
    await requireOwnerStepUp(db, actor, otp);
    await rollbackRotation(db, actor, keyId);
    revalidatePath(`/merchants/${merchantId}/developers`, "layout");
    return null;
  });
}
