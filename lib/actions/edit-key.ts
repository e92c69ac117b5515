"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { editKeySchema } from "@/lib/keys/schema";
import { editKey } from "@/lib/keys/services/update-key";
import { merchantAction, type ActionResult } from "./safe-action";

// Name and description only; the strict schema refuses anything else (permissions above all).
export async function editKeyAction(merchantId: string, keyId: string, input: unknown): Promise<ActionResult<{ version: number }>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const values = editKeySchema.parse(input);
    const res = await editKey(db, actor, z.string().parse(keyId), values);
    revalidatePath(`/merchants/${merchantId}/developers`, "layout");
    return { version: res.version };
  });
}
