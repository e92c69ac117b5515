"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ipAllowListSchema } from "@/lib/keys/schema";
import { setIpAllowList } from "@/lib/keys/services/update-key";
import { merchantAction, type ActionResult } from "./safe-action";

export async function setIpAllowListAction(merchantId: string, keyId: string, input: unknown): Promise<ActionResult<{ version: number }>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const res = await setIpAllowList(db, actor, z.string().parse(keyId), ipAllowListSchema.parse(input));
    revalidatePath(`/merchants/${merchantId}/developers`, "layout");
    return res;
  });
}
