"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { changeKeyStatus } from "@/lib/keys/services/change-key-status";
import { versionField } from "@/lib/keys/schema";
import { merchantAction, type ActionResult } from "./safe-action";

const toggleSchema = z.strictObject({ keyId: z.string(), version: versionField, confirmed: z.literal(true, { error: "Tick the confirmation box." }) });

async function run(merchantId: string, action: "disable" | "enable", input: unknown): Promise<ActionResult<null>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const { keyId, version } = toggleSchema.parse(input);
    await changeKeyStatus(db, actor, keyId, action, { version });
    revalidatePath(`/merchants/${merchantId}/developers`, "layout");
    return null;
  });
}

export async function disableKeyAction(merchantId: string, input: unknown) {
  return run(merchantId, "disable", input);
}

export async function enableKeyAction(merchantId: string, input: unknown) {
  return run(merchantId, "enable", input);
}
