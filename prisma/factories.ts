// Test factories: random names and ids, so tests run in parallel against one database with no
// cleanup and never depend on the demo rows.
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { generateAccessKey, generateSecret, hashSecret, secretHint } from "@/lib/keys/secret";
import type { Channel, Environment, KeyStatus, Role } from "@/lib/keys/types";
import { hashPassword } from "@/lib/auth/password";

const rid = () => randomBytes(5).toString("hex");
const YEAR_MS = 365 * 24 * 3600_000;

export async function createMerchant(db: Db, data: { name?: string; parentId?: string } = {}) {
  const name = data.name ?? `Merchant ${rid()}`;
  return db.merchant.create({ data: { name, slug: `${name.toLowerCase().replace(/\W+/g, "-")}-${rid()}`, parentId: data.parentId } });
}

let passwordHash: Promise<string> | undefined;
export const TEST_PASSWORD = "correct horse battery staple";

export async function createUser(db: Db, data: { email?: string; name?: string; password?: string } = {}) {
  const hash = data.password ? hashPassword(data.password) : (passwordHash ??= hashPassword(TEST_PASSWORD));
  return db.user.create({
    data: { email: data.email ?? `user-${rid()}@example.test`, name: data.name ?? `User ${rid()}`, passwordHash: await hash },
  });
}

export function addMember(db: Db, userId: string, merchantId: string, role: Role) {
  return db.membership.create({ data: { userId, merchantId, role } });
}

/** A user with a role on a fresh merchant. */
export async function createMember(db: Db, role: Role, merchantId?: string) {
  const merchant = merchantId ? { id: merchantId } : await createMerchant(db);
  const user = await createUser(db);
  await addMember(db, user.id, merchant.id, role);
  return { user, merchantId: merchant.id };
}

export interface KeyFactoryInput {
  merchantId: string;
  name?: string;
  environment?: Environment;
  channel?: Channel;
  status?: KeyStatus;
  permissions?: string[];
  ipAllowList?: string[];
  createdAt?: Date;
  expiresAt?: Date;
  createdById?: string;
}

/** Inserts a key with a generated current credential and returns it with its one-time secret. */
export async function createKey(db: Db, input: KeyFactoryInput) {
  const environment = input.environment ?? "sandbox";
  const createdAt = input.createdAt ?? new Date();
  const secret = generateSecret(environment);
  const key = await db.apiKey.create({
    data: {
      merchantId: input.merchantId,
      name: input.name ?? `Key ${rid()}`,
      environment,
      channel: input.channel ?? "REST",
      status: input.status ?? "ENABLED",
      permissions: input.permissions ?? ["payments:read"],
      ipAllowList: input.ipAllowList ?? [],
      createdAt,
      updatedAt: createdAt,
      expiresAt: input.expiresAt ?? new Date(createdAt.getTime() + YEAR_MS),
      createdById: input.createdById,
      updatedById: input.createdById,
      credentials: {
        create: {
          accessKey: generateAccessKey(environment),
          secretHash: hashSecret(secret),
          secretHint: secretHint(secret),
          createdAt,
          createdById: input.createdById,
        },
      },
    },
  });
  return { key, secret };
}

/** A service actor: a fresh user with a role on a merchant (fresh unless given). */
export async function createActor(db: Db, role: Role, merchantId?: string) {
  const { user, merchantId: mid } = await createMember(db, role, merchantId);
  return { userId: user.id, email: user.email, role, merchantId: mid, clientIp: "203.0.113.9" };
}
