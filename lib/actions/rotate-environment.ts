"use server";
import { bulkKeysSchema } from "@/lib/keys/schema";
import { rotateEnvironment } from "@/lib/keys/services/rotate-environment";
import { rollbackEnvironment } from "@/lib/keys/services/rollback-environment";
import { defineStepUpAction } from "./safe-action";

/** "Rotate API Keys" on Credentials Details: every key of the environment that may be rotated (rotationState), one OTP. */
export const rotateEnvironmentAction = defineStepUpAction({
  sudo: false,
  permission: "keys.rotate",
  schema: bulkKeysSchema,
  run: ({ actor, tx, input }) =>
    rotateEnvironment(tx, actor, input.environment, input.grace ?? "24h", input.keys, new Date(), { finishWindows: input.finishWindows }),
});

/** "Rollback API Keys" for the environment after a bulk rotation. */
export const rollbackEnvironmentAction = defineStepUpAction({
  sudo: true,
  permission: "keys.rollback",
  schema: bulkKeysSchema,
  run: ({ actor, tx, input }) => rollbackEnvironment(tx, actor, input.environment, input.keys),
  result: (done) => ({ keys: done.map((k) => ({ keyId: k.keyId, name: k.name, accessKey: k.accessKey })) }),
  revalidate: "developers",
});
