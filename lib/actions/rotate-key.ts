"use server";
import { rotateKeySchema } from "@/lib/keys/schema";
import { rotateKey } from "@/lib/keys/services/rotate-key";
import { defineStepUpAction } from "./safe-action";

// No revalidation: the page refreshes when the new secret's dialog closes.
export const rotateKeyAction = defineStepUpAction({
  sudo: false,
  permission: "keys.rotate",
  schema: rotateKeySchema,
  run: ({ actor, tx, input }) =>
    rotateKey(tx, actor, input.keyId, { grace: input.grace, version: input.version, own: input.own, purpose: input.purpose }),
});
