"use server";
import { revalidatePath } from "next/cache";
import { revokeKey } from "@/lib/keys/services/change-key-status";
import { destructiveSchema } from "./destructive";
import { withOwnerStepUp } from "./step-up";
import { merchantAction, type ActionResult } from "./safe-action";

export async function revokeKeyAction(merchantId: string, input: unknown): Promise<ActionResult<null>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const { keyId, version, otp } = destructiveSchema.parse(input);
    await withOwnerStepUp(db, actor, otp, (tx) => revokeKey(tx, actor, keyId, { version }));
    revalidatePath(`/merchants/${merchantId}/developers`, "layout");
    return null;
  });
}
