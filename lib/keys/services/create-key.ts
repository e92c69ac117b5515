import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { KeyError } from "../errors";
import { defaultExpiry } from "../rules";
import type { CreateKeyValues } from "../schema";
import { customSecretHint, hashCustomSecret } from "../custom-credentials";
import {
  assertAllowed, assertCan, findKey, generatedCredential, inTransaction, isUniqueViolation, recordChange, snapshot,
  type Actor, type IssuedSecret,
} from "./shared";

export async function createKey(db: Db | Tx, actor: Actor, input: CreateKeyValues, now = new Date()): Promise<IssuedSecret> {
  assertCan(actor, "createKey", input.environment);
  // The slow hash runs before the transaction, so no row lock waits on it.
  const custom = input.credentialType === "custom" && input.username && input.password
    ? { secret: input.password, data: { kind: "USER_CHOSEN" as const, accessKey: input.username, secretHash: await hashCustomSecret(input.password), secretHint: customSecretHint(input.password), createdById: actor.userId } }
    : null;
  const credential = custom ?? generatedCredential(input.environment, actor.userId);
  try {
    return await inTransaction(db, async (tx) => {
      if (custom && (await tx.credential.findUnique({ where: { accessKey: custom.data.accessKey }, select: { id: true } }))) {
        throw new KeyError("USERNAME_TAKEN", { username: "This username is already in use. Choose another." });
      }
      const key = await tx.apiKey.create({
        data: {
          merchantId: actor.merchantId,
          name: input.name,
          description: input.description,
          environment: input.environment,
          channel: input.channel,
          permissions: [...new Set(input.permissions)],
          ipAllowList: input.ipAllowList,
          createdById: actor.userId,
          updatedById: actor.userId,
          createdAt: now,
          updatedAt: now,
          expiresAt: defaultExpiry(now),
          credentials: { create: { ...credential.data, createdAt: now } },
        },
      });
      await recordChange(tx, actor, { keyId: key.id, action: "key.created", after: snapshot(key) });
      return { keyId: key.id, name: key.name, accessKey: credential.data.accessKey, secret: credential.secret, environment: key.environment };
    });
  } catch (err) {
    if (isUniqueViolation(err, "access_key")) throw new KeyError("USERNAME_TAKEN", { username: "This username is already in use. Choose another." });
    throw err;
  }
}

/** Same channel, environment, permissions, IP allow-list and description; a fresh generated secret. */
export async function duplicateKey(db: Db | Tx, actor: Actor, keyId: string, now = new Date()): Promise<IssuedSecret> {
  return inTransaction(db, async (tx) => {
    const source = await findKey(tx, actor, keyId);
    assertCan(actor, "createKey", source.environment);
    assertAllowed(source, "duplicate");
    const credential = generatedCredential(source.environment, actor.userId);
    const name = `${source.name.slice(0, 93)} (copy)`;
    const key = await tx.apiKey.create({
      data: {
        merchantId: actor.merchantId,
        name,
        description: source.description,
        environment: source.environment,
        channel: source.channel,
        permissions: source.permissions,
        ipAllowList: source.ipAllowList,
        createdById: actor.userId,
        updatedById: actor.userId,
        createdAt: now,
        updatedAt: now,
        expiresAt: defaultExpiry(now),
        credentials: { create: { ...credential.data, createdAt: now } },
      },
    });
    await recordChange(tx, actor, { keyId: key.id, action: "key.duplicated", after: { ...snapshot(key), duplicatedFrom: source.id } });
    return { keyId: key.id, name: key.name, accessKey: credential.data.accessKey, secret: credential.secret, environment: key.environment };
  });
}
