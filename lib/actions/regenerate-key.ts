"use server";
import { regenerateKey } from "@/lib/keys/services/regenerate-key";
import type { IssuedSecret } from "@/lib/keys/types";
import { destructiveSchema } from "./destructive";
import { withOwnerStepUp } from "./step-up";
import { merchantAction, type ActionResult } from "./safe-action";

export async function regenerateKeyAction(merchantId: string, input: unknown): Promise<ActionResult<IssuedSecret>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const { keyId, version, otp } = destructiveSchema.parse(input);
    return withOwnerStepUp(db, actor, otp, (tx) => regenerateKey(tx, actor, keyId, { version }));
  });
}
