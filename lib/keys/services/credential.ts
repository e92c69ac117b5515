import "server-only";
import { generateAccessKey, generateSecret, hashSecret, secretHint } from "../secret";
import type { Environment } from "../types";

/** A fresh generated credential: the row to insert and the secret to show once. */
export function generatedCredential(environment: Environment, actorId: string) {
  const secret = generateSecret(environment);
  return {
    secret,
    data: {
      kind: "GENERATED" as const,
      accessKey: generateAccessKey(environment),
      secretHash: hashSecret(secret),
      secretHint: secretHint(secret),
      createdById: actorId,
    },
  };
}
