"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { extendGrace } from "@/lib/keys/services/rollback-rotation";
import { merchantAction, type ActionResult } from "./safe-action";
import { withOwnerStepUp } from "./step-up";

const extendSchema = z.strictObject({
  keyId: z.string().max(64),
  until: z.iso.datetime({ error: "Choose a new end time." }),
  confirmed: z.literal(true, { error: "Tick the confirmation box." }),
  otp: z.string().max(20).optional(),
});

export async function extendGraceAction(merchantId: string, input: unknown): Promise<ActionResult<{ previousExpiresAt: string }>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const { keyId, until, otp } = extendSchema.parse(input);
    const res = await withOwnerStepUp(db, actor, otp, (tx) => extendGrace(tx, actor, keyId, new Date(until)));
    revalidatePath(`/merchants/${merchantId}/developers`, "layout");
    return res;
  });
}
