"use server";
import { createKeySchema } from "@/lib/keys/schema";
import { createKey } from "@/lib/keys/services/create-key";
import type { IssuedSecret } from "@/lib/keys/types";
import { merchantAction, type ActionResult } from "./safe-action";

// No revalidation here: the grid refreshes when the secret dialog closes, not before.
export async function createKeyAction(merchantId: string, input: unknown): Promise<ActionResult<IssuedSecret>> {
  return merchantAction(merchantId, ({ actor, db }) => createKey(db, actor, createKeySchema.parse(input)));
}
