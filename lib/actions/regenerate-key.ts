"use server";
import { destructiveSchema } from "@/lib/keys/schema";
import { regenerateKey } from "@/lib/keys/services/regenerate-key";
import { defineStepUpAction } from "./safe-action";

// No revalidation: the page refreshes when the new secret's dialog closes.
export const regenerateKeyAction = defineStepUpAction({
  permission: "keys.rotate",
  schema: destructiveSchema,
  run: ({ actor, tx, input }) => regenerateKey(tx, actor, input.keyId, { version: input.version }),
});
