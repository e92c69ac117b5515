"use server";
import { destructiveSchema } from "@/lib/keys/schema";
import { revokeKey } from "@/lib/keys/services/change-key-status";
import { defineStepUpAction } from "./safe-action";

export const revokeKeyAction = defineStepUpAction({
  sudo: true,
  permission: "keys.revoke",
  schema: destructiveSchema,
  run: ({ actor, tx, input }) => revokeKey(tx, actor, input.keyId, { version: input.version }),
  result: () => null,
  revalidate: "developers",
});
