import "server-only";
import { generateAccessKey, generateSecret, hashSecret, secretHint } from "../secret";
import type { Environment } from "../types";
import { signingSecretRow } from "@/lib/webhooks/signing";

/**
 * A fresh generated credential: the row to insert and the secret to show once. Its webhook signing
 * secret is derived here, the only moment the raw secret exists, and stored encrypted with it.
 */
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
      webhookSigningSecret: signingSecretRow(secret),
    },
  };
}
