"use server";
import { z } from "zod";
import { GRACE_OPTIONS, type GraceOption } from "@/lib/keys/rotation";
import { ownCredentialsSchema, versionField } from "@/lib/keys/schema";
import { rotateKey } from "@/lib/keys/services/rotate-key";
import { merchantAction, type ActionResult } from "./safe-action";
import { withOwnerStepUp } from "./step-up";
import type { IssuedSecret } from "@/lib/keys/types";

const rotateSchema = z.strictObject({
  keyId: z.string().max(64),
  version: versionField, // required: two tabs' "Now" rotations must not both succeed
  grace: z.enum(GRACE_OPTIONS.map((g) => g.value) as [GraceOption, ...GraceOption[]], { error: "Choose when to revoke the existing key." }),
  confirmed: z.literal(true, { error: "Tick “I confirm rotating the API keys”." }),
  otp: z.string().max(20).optional(),
  // A key with own credentials: new ones (checked as at creation), or absent for a generated pair.
  own: ownCredentialsSchema.optional(),
});

// No revalidation: the page refreshes when the new secret's dialog closes.
export async function rotateKeyAction(merchantId: string, input: unknown): Promise<ActionResult<IssuedSecret & { previousExpiresAt: string }>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const { keyId, version, grace, otp, own } = rotateSchema.parse(input);
    return withOwnerStepUp(db, actor, otp, (tx) => rotateKey(tx, actor, keyId, { grace, version, own }));
  });
}
