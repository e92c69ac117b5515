import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import type { ApiKey } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/core/errors";
import { defaultExpiry } from "../rules";
import type { CreateKeyValues } from "../schema";
import { customSecretHint, hashCustomSecret } from "../custom-credentials";
import { assertAllowed, assertCan } from "@/lib/keys/services/guards";
import { findKey } from "@/lib/keys/services/key-access";
import { generatedCredential } from "@/lib/keys/services/credential";
import { inTransaction, isUniqueViolation } from "@/lib/core/transaction";
import { recordChange, snapshot } from "@/lib/keys/services/record-change";
import type { Actor } from "@/lib/core/actor";
import type { IssuedSecret } from "@/lib/keys/types";

type Presets = {
  name: string;
  description: string;
  environment: ApiKey["environment"];
  channel: ApiKey["channel"];
  permissions: string[];
  ipAllowList: string[];
};
type CredentialRow = {
  kind: "GENERATED" | "USER_CHOSEN";
  accessKey: string;
  secretHash: string;
  secretHint: string;
  createdById: string;
  /** A generated secret's derived webhook signing secret, encrypted (credential.ts). */
  webhookSigningSecret?: { create: { secretEnc: string } };
};

/** Inserts a new Enabled key with its first credential; one year until it expires. */
function insertKey(tx: Tx, actor: Actor, presets: Presets, credential: CredentialRow, now: Date) {
  return tx.apiKey.create({
    data: {
      ...presets,
      permissions: [...new Set(presets.permissions)],
      merchantId: actor.merchantId,
      createdById: actor.userId,
      updatedById: actor.userId,
      createdAt: now,
      updatedAt: now,
      expiresAt: defaultExpiry(now),
      credentials: { create: { ...credential, createdAt: now } },
    },
  });
}

const issued = (key: ApiKey, credential: { secret: string; data: { accessKey: string } }): IssuedSecret => ({
  keyId: key.id,
  name: key.name,
  accessKey: credential.data.accessKey,
  secret: credential.secret,
  environment: key.environment,
});

export async function createKey(db: Db | Tx, actor: Actor, input: CreateKeyValues, now = new Date()): Promise<IssuedSecret> {
  assertCan(actor, "keys.write", input.environment);
  // The slow hash runs before the transaction, so no row lock waits on it.
  const custom =
    input.credentialType === "custom" && input.username && input.password
      ? {
          secret: input.password,
          data: {
            kind: "USER_CHOSEN" as const,
            accessKey: input.username,
            secretHash: await hashCustomSecret(input.password),
            secretHint: customSecretHint(input.password),
            createdById: actor.userId,
          },
        }
      : null;
  const credential = custom ?? generatedCredential(input.environment, actor.userId);
  try {
    return await inTransaction(db, async (tx) => {
      if (custom && (await tx.credential.findUnique({ where: { accessKey: custom.data.accessKey }, select: { id: true } }))) {
        throw new AppError("USERNAME_TAKEN", { fieldErrors: { username: "This username is already in use. Choose another." } });
      }
      const { name, description, environment, channel, permissions, ipAllowList } = input;
      const key = await insertKey(tx, actor, { name, description, environment, channel, permissions, ipAllowList }, credential.data, now);
      // A new key turns NOT_FOUND into VALID: every cache hears of it.
      await recordChange(tx, actor, { keyId: key.id, action: "key.created", after: snapshot(key), invalidatesVerification: true });
      return issued(key, credential);
    });
  } catch (err) {
    if (isUniqueViolation(err, "access_key"))
      throw new AppError("USERNAME_TAKEN", { fieldErrors: { username: "This username is already in use. Choose another." } });
    throw err;
  }
}

/** Same channel, environment, permissions, IP allow-list and description; a fresh generated secret. */
export async function duplicateKey(db: Db | Tx, actor: Actor, keyId: string, now = new Date()): Promise<IssuedSecret> {
  return inTransaction(db, async (tx) => {
    const source = await findKey(tx, actor, keyId);
    assertCan(actor, "keys.write", source.environment);
    assertAllowed(source, "duplicate");
    const credential = generatedCredential(source.environment, actor.userId);
    const { description, environment, channel, permissions, ipAllowList } = source;
    const presets = { name: `${source.name.slice(0, 93)} (copy)`, description, environment, channel, permissions, ipAllowList };
    const key = await insertKey(tx, actor, presets, credential.data, now);
    await recordChange(tx, actor, {
      keyId: key.id,
      action: "key.duplicated",
      after: { ...snapshot(key), duplicatedFrom: source.id },
      invalidatesVerification: true,
    });
    return issued(key, credential);
  });
}
