"use server";
import { revalidatePath } from "next/cache";
import { deleteKey } from "@/lib/keys/services/delete-key";
import { destructiveSchema } from "./destructive";
import { withOwnerStepUp } from "./step-up";
import { merchantAction, type ActionResult } from "./safe-action";

export async function deleteKeyAction(merchantId: string, input: unknown): Promise<ActionResult<{ name: string }>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const { keyId, version, otp } = destructiveSchema.parse(input);
    const res = await withOwnerStepUp(db, actor, otp, (tx) => deleteKey(tx, actor, keyId, { version }));
    revalidatePath(`/merchants/${merchantId}/developers`, "layout");
    return { name: res.name };
  });
}
