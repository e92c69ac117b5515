"use server";
import { destructiveSchema } from "@/lib/keys/schema";
import { deleteKey } from "@/lib/keys/services/delete-key";
import { defineStepUpAction } from "./safe-action";

export const deleteKeyAction = defineStepUpAction({
  sudo: true,
  permission: "keys.delete",
  schema: destructiveSchema,
  run: ({ actor, tx, input }) => deleteKey(tx, actor, input.keyId, { version: input.version }),
  result: (res) => ({ name: res.name }),
  revalidate: "developers",
});
