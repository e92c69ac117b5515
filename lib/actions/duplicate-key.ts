"use server";
import { keyRefSchema } from "@/lib/keys/schema";
import { duplicateKey } from "@/lib/keys/services/create-key";
import type { IssuedSecret } from "@/lib/keys/types";
import { merchantAction, type ActionResult } from "./safe-action";

export async function duplicateKeyAction(merchantId: string, input: unknown): Promise<ActionResult<IssuedSecret>> {
  return merchantAction(merchantId, ({ actor, db }) => duplicateKey(db, actor, keyRefSchema.parse(input).keyId));
}
