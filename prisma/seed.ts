// Demo data of docs/design.md §8: created on first start only (a settings row marks it), never in
// production, and never relied on by tests (they use ./factories).
import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/password";
import { encrypt } from "@/lib/crypto/encryption";
import { generateAccessKey, generateSecret, hashSecret, secretHint } from "@/lib/keys/secret";
import type { Channel, Environment, KeyStatus, Role } from "@/lib/keys/types";

export const DEMO_PASSWORD = "keyport-demo";
export const DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP";
export const DEMO_LOGINS: { email: string; role: Role; merchant: string; totp?: boolean }[] = [
  { email: "owner@acme.test", role: "OWNER", merchant: "Acme Payments", totp: true },
  { email: "admin@acme.test", role: "ADMIN", merchant: "Acme Payments" },
  { email: "developer@acme.test", role: "DEVELOPER", merchant: "Acme Payments" },
  { email: "viewer@acme.test", role: "VIEWER", merchant: "Acme Payments" },
  { email: "owner@globex.test", role: "OWNER", merchant: "Globex Retail" },
];

const DAY = 24 * 3600_000;
export const ACME_OPENED_AT = new Date("2022-03-01T00:00:00Z");
const YEAR = 365 * DAY;

type DemoKey = {
  name: string;
  description: string;
  env: Environment;
  channel: Channel;
  status: KeyStatus;
  ageDays: number;
  permissions: string[];
};

const ACME_KEYS: DemoKey[] = [
  {
    name: "Checkout backend",
    description: "Card payments from the web checkout",
    env: "production",
    channel: "REST",
    status: "ENABLED",
    ageDays: 10,
    permissions: ["payments:read", "payments:write", "refunds:write"],
  },
  {
    name: "Storefront webhooks",
    description: "Order events pushed to the storefront",
    env: "production",
    channel: "HTTP",
    status: "ENABLED",
    ageDays: 5,
    permissions: ["webhooks:manage"],
  },
  {
    name: "Nightly settlement upload",
    description: "SFTP drop of settlement files",
    env: "production",
    channel: "FTP",
    status: "DISABLED",
    ageDays: 20,
    permissions: ["payments:read"],
  },
  {
    name: "Legacy POS",
    description: "Retired point-of-sale bridge",
    env: "production",
    channel: "WEB_SERVICE",
    status: "REVOKED",
    ageDays: 60,
    permissions: ["payments:write"],
  },
  {
    name: "Sandbox integration tests",
    description: "CI suite of the checkout team",
    env: "sandbox",
    channel: "REST",
    status: "ENABLED",
    ageDays: 2,
    permissions: ["payments:read", "payments:write", "customers:read"],
  },
  {
    name: "Receipt mailer",
    description: "Sends receipts in the sandbox",
    env: "sandbox",
    channel: "EMAIL",
    status: "ENABLED",
    ageDays: 8,
    permissions: ["customers:read"],
  },
];

const GLOBEX_KEYS: DemoKey[] = [
  {
    name: "Globex checkout",
    description: "Online store",
    env: "production",
    channel: "REST",
    status: "ENABLED",
    ageDays: 12,
    permissions: ["payments:read", "payments:write"],
  },
  {
    name: "Globex sandbox",
    description: "Staging store",
    env: "sandbox",
    channel: "REST",
    status: "ENABLED",
    ageDays: 3,
    permissions: ["payments:read"],
  },
];

/** Seeds the demo once. Returns false when it had already been seeded. */
export async function seedDemo(db: Db, now = new Date()): Promise<boolean> {
  if (await db.setting.findUnique({ where: { key: "demo_seeded_at" } })) return false;
  const passwordHashes = await Promise.all(DEMO_LOGINS.map(() => hashPassword(DEMO_PASSWORD)));
  return db.$transaction(async (tx) => {
    // Two starts racing: the primary key on settings lets exactly one of them through.
    const claimed =
      await tx.$executeRaw`INSERT INTO settings (key, value) VALUES ('demo_seeded_at', to_jsonb(now()::text)) ON CONFLICT DO NOTHING`;
    if (claimed === 0) return false;
    // Acme is an old master account (before 6 June 2023): four channels active from the start.
    const acme = await tx.merchant.create({
      data: {
        name: "Acme Payments",
        slug: "acme-payments",
        createdAt: ACME_OPENED_AT,
        activeChannels: ["FTP", "HTTP", "EMAIL", "WEB_SERVICE"],
      },
    });
    await tx.merchant.create({ data: { name: "Acme EU", slug: "acme-eu", parentId: acme.id } });
    const globex = await tx.merchant.create({ data: { name: "Globex Retail", slug: "globex-retail" } });
    const merchantIds: Record<string, string> = { "Acme Payments": acme.id, "Globex Retail": globex.id };
    const users: Record<string, { id: string; email: string }> = {};
    for (const [i, login] of DEMO_LOGINS.entries()) {
      const [local, domain] = login.email.split("@");
      const name = `${local[0].toUpperCase()}${local.slice(1)} (${domain.split(".")[0]})`;
      const user = await tx.user.create({ data: { email: login.email, name, passwordHash: passwordHashes[i] } });
      users[login.email] = user;
      await tx.membership.create({ data: { userId: user.id, merchantId: merchantIds[login.merchant], role: login.role } });
      if (login.totp) {
        await tx.totpEnrollment.create({ data: { userId: user.id, secretEnc: encrypt(DEMO_TOTP_SECRET), confirmedAt: now } });
      }
    }
    const insertKeys = async (merchantId: string, owner: { id: string; email: string }, keys: DemoKey[]) => {
      for (const k of keys) {
        const createdAt = new Date(now.getTime() - k.ageDays * DAY);
        const secret = generateSecret(k.env); // never shown: demo keys are for looking at
        const key = await tx.apiKey.create({
          data: {
            merchantId,
            name: k.name,
            description: k.description,
            environment: k.env,
            channel: k.channel,
            status: k.status,
            permissions: k.permissions,
            ipAllowList: [],
            createdAt,
            updatedAt: createdAt,
            expiresAt: new Date(createdAt.getTime() + YEAR),
            createdById: owner.id,
            updatedById: owner.id,
            credentials: {
              create: {
                accessKey: generateAccessKey(k.env),
                secretHash: hashSecret(secret),
                secretHint: secretHint(secret),
                createdAt,
                createdById: owner.id,
              },
            },
          },
        });
        await recordAudit(
          tx,
          { userId: owner.id, email: owner.email },
          {
            merchantId,
            apiKeyId: key.id,
            action: "key.created",
            at: createdAt,
            after: { name: k.name, environment: k.env, channel: k.channel },
          },
        );
      }
    };
    await insertKeys(acme.id, users["owner@acme.test"], ACME_KEYS);
    await insertKeys(globex.id, users["owner@globex.test"], GLOBEX_KEYS);
    return true;
  });
}

export function demoLoginsText(): string {
  const rows = DEMO_LOGINS.map(
    (l) => `  ${l.email.padEnd(22)} ${l.role.padEnd(10)} ${l.merchant}${l.totp ? `  (TOTP secret ${DEMO_TOTP_SECRET})` : ""}`,
  );
  return [`Demo logins (password "${DEMO_PASSWORD}"):`, ...rows].join("\n");
}
