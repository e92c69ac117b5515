"use server";
import { destructiveSchema } from "@/lib/keys/schema";
import { revokePreviousKey } from "@/lib/keys/services/revoke-previous";
import { defineStepUpAction } from "./safe-action";

/** "Revoke previous key now": ends a grace window early; owner and step-up, as rotation. */
export const revokePreviousKeyAction = defineStepUpAction({
  sudo: true,
  permission: "keys.rotate",
  schema: destructiveSchema,
  run: ({ actor, tx, input }) => revokePreviousKey(tx, actor, input.keyId, input.version),
  result: () => null,
  revalidate: "developers",
});
