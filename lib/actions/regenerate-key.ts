"use server";
import { destructiveSchema, ownCredentialsSchema } from "@/lib/keys/schema";
import { regenerateKey } from "@/lib/keys/services/regenerate-key";
import { defineStepUpAction } from "./safe-action";

// No revalidation: the page refreshes when the new secret's dialog closes.
export const regenerateKeyAction = defineStepUpAction({
  sudo: false,
  permission: "keys.rotate",
  // A key with own credentials: new ones (checked as at creation), or absent for a generated pair.
  schema: destructiveSchema.extend({ own: ownCredentialsSchema.optional() }),
  run: ({ actor, tx, input }) => regenerateKey(tx, actor, input.keyId, { version: input.version, own: input.own }),
});
