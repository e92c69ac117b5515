"use server";
import { revalidatePath } from "next/cache";
import { subAccountSchema } from "@/lib/members/schema";
import { createSubAccount } from "@/lib/merchants/service";
import { merchantAction, type ActionResult } from "./safe-action";

/** merchantId is the master account the sub-account goes under. */
export async function createSubAccountAction(merchantId: string, input: unknown): Promise<ActionResult<{ id: string; name: string }>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const res = await createSubAccount(db, actor, subAccountSchema.parse(input));
    revalidatePath("/merchants");
    return res;
  });
}
