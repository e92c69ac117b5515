import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import type { ApiKey } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { can, type Action } from "@/lib/auth/roles";
import { isUuid } from "@/lib/merchants/access";
import { recordAudit } from "@/lib/audit";
import { KeyError } from "../errors";
import { isAllowed, type LifecycleAction } from "../rules";
import { generateAccessKey, generateSecret, hashSecret, secretHint } from "../secret";
import type { Environment, Role } from "../types";

/** Who is acting, on which merchant (their role there already resolved), from where. */
export interface Actor {
  userId: string;
  email: string;
  role: Role;
  merchantId: string;
  clientIp?: string | null;
}

/**
 * Runs fn in one transaction, or inside the caller's when given a transaction client (those lack
 * $connect; they do have $transaction, for savepoints, which PGlite's adapter does not support).
 */
export function inTransaction<T>(db: Db | Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return "$connect" in db ? (db as Db).$transaction(fn, { timeout: 15_000, maxWait: 15_000 }) : fn(db);
}

export function assertCan(actor: Actor, action: Action, environment?: Environment) {
  if (!can(actor.role, action, environment)) throw new KeyError("FORBIDDEN");
}

export function assertAllowed(key: Pick<ApiKey, "status">, action: LifecycleAction) {
  if (!isAllowed(key.status, action)) throw new KeyError("INVALID_TRANSITION");
}

/**
 * Locks the key row for the rest of the transaction, found only through the actor's merchant:
 * another merchant's key id answers exactly like a missing one. A version the caller read earlier
 * that no longer matches means someone changed the key meanwhile. With `noWait`, a row another
 * transaction holds fails at once as "a rotation is already in progress" instead of queueing.
 */
export async function lockKey(tx: Tx, actor: Actor, keyId: string, expectedVersion?: number, opts: { noWait?: boolean } = {}): Promise<ApiKey> {
  if (!isUuid(keyId)) throw new KeyError("NOT_FOUND");
  let locked: { id: string }[];
  try {
    locked = opts.noWait
      ? await tx.$queryRaw`SELECT id FROM api_keys WHERE id = ${keyId}::uuid AND merchant_id = ${actor.merchantId}::uuid FOR UPDATE NOWAIT`
      : await tx.$queryRaw`SELECT id FROM api_keys WHERE id = ${keyId}::uuid AND merchant_id = ${actor.merchantId}::uuid FOR UPDATE`;
  } catch (err) {
    const message = String((err as Error)?.message ?? err);
    if (opts.noWait && (message.includes("55P03") || /could not obtain lock/i.test(message))) throw new KeyError("ROTATION_IN_PROGRESS");
    throw err;
  }
  if (locked.length === 0) throw new KeyError("NOT_FOUND");
  const key = await tx.apiKey.findUniqueOrThrow({ where: { id: keyId } });
  if (expectedVersion !== undefined && key.version !== expectedVersion) throw new KeyError("CONFLICT");
  return key;
}

/** Reads a key through the actor's merchant without locking it. */
export async function findKey(db: Db | Tx, actor: Actor, keyId: string): Promise<ApiKey> {
  if (!isUuid(keyId)) throw new KeyError("NOT_FOUND");
  const key = await db.apiKey.findFirst({ where: { id: keyId, merchantId: actor.merchantId } });
  if (!key) throw new KeyError("NOT_FOUND");
  return key;
}

/** What an audit row may hold of a key: never a secret or a hash. */
export const snapshot = (k: ApiKey) => ({
  name: k.name,
  description: k.description,
  environment: k.environment,
  channel: k.channel,
  status: k.status,
  permissions: k.permissions,
  ipAllowList: k.ipAllowList,
  expiresAt: k.expiresAt.toISOString(),
});

/** The audit event and the cache-invalidation feed row, in the change's own transaction. */
export async function recordChange(
  tx: Tx,
  actor: Actor,
  e: { keyId: string; action: string; before?: object | null; after?: object | null; feed?: string | null },
) {
  await recordAudit(tx, actor, { merchantId: actor.merchantId, apiKeyId: e.keyId, action: e.action, before: e.before, after: e.after });
  if (e.feed !== null) await tx.keyChange.create({ data: { apiKeyId: e.keyId, kind: e.feed ?? e.action } });
}

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

export const isUniqueViolation = (err: unknown, field?: string) =>
  err instanceof Prisma.PrismaClientKnownRequestError &&
  err.code === "P2002" &&
  (!field || JSON.stringify(err.meta ?? {}).includes(field));

/** Returned once, to the dialog that shows the secret. */
export interface IssuedSecret {
  keyId: string;
  name: string;
  accessKey: string;
  secret: string;
  environment: Environment;
}
