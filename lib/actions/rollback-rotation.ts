"use server";
import { rollbackSchema } from "@/lib/keys/schema";
import { rollbackRotation } from "@/lib/keys/services/rollback-rotation";
import { defineStepUpAction } from "./safe-action";

export const rollbackRotationAction = defineStepUpAction({
  sudo: true,
  permission: "keys.rollback",
  schema: rollbackSchema,
  run: ({ actor, tx, input }) => rollbackRotation(tx, actor, input.keyId, { version: input.version }),
  result: (k) => ({ keys: [{ keyId: k.keyId, name: k.name, accessKey: k.accessKey }] }),
  revalidate: "developers",
});
