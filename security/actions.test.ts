import { randomUUID } from "node:crypto";
// The adversarial suite for server actions. Every server action is a public POST endpoint, so it is
// called here directly, with the session of the test's choosing, exactly as a forged request would.
// The list of actions is read from the code: a new "use server" export without a case here fails.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/lib/db/client";
import type { Environment, Role } from "@/lib/keys/types";
import type { Prisma } from "@/lib/generated/prisma/client";

const ctx = vi.hoisted(() => ({
  db: null as unknown as Database,
  user: null as null | { id: string; email: string; name: string; sid: string },
}));
vi.mock("@/lib/db/client", async (orig) => ({ ...(await orig<typeof import("@/lib/db/client")>()), getDb: async () => ctx.db.prisma }));
vi.mock("@/lib/auth/session", () => ({
  getSessionUser: async () => ctx.user,
  requireUser: async () => {
    if (!ctx.user) throw new Error("redirect /login");
    return ctx.user;
  },
}));
vi.mock("@/lib/auth/next-auth", () => ({
  auth: async () => null,
  signIn: async () => undefined,
  signOut: async () => undefined,
  loginSchema: { safeParse: () => ({ success: false, error: { flatten: () => ({ fieldErrors: {} }) } }) },
}));
vi.mock("next-auth", () => ({
  AuthError: class AuthError extends Error {},
  CredentialsSignin: class CredentialsSignin extends Error {},
  default: () => ({}),
}));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-keyport-client-ip": "203.0.113.66" }),
  cookies: async () => ({ get: () => undefined }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

import { createTestDatabase } from "@/lib/testing/db";
import { addMember, createKey, createMerchant, createUser } from "@/prisma/factories";
import { encrypt } from "@/lib/crypto/encryption";
import { totpAt } from "@/lib/auth/totp";
import { rotateKey } from "@/lib/keys/services/rotate-key";
import { inviteMember } from "@/lib/members/invitations";
import { createToken } from "@/lib/tokens/service";
import { createKey as issueKey } from "@/lib/keys/services/create-key";
import { createEndpoint, sendTestEvent } from "@/lib/webhooks/service";
import { decodedFlightValues } from "./flight";
import { rotationState } from "@/lib/keys/rotation";

type Result = { ok: boolean; code?: string };
type ActionFn = (...args: unknown[]) => Promise<Result | undefined>;

// ── Discovery: every export of every "use server" module ───────────────────────────────────────
const ACTIONS_DIR = join(process.cwd(), "lib/actions");
const serverModules = readdirSync(ACTIONS_DIR).filter(
  (f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && readFileSync(join(ACTIONS_DIR, f), "utf8").trimStart().startsWith('"use server"'),
);
const discovered: { name: string; fn: ActionFn; firstParam: string }[] = [];

/** Actions that act only on the signed-in user or on a link token, never on a merchant's data. */
const NOT_MERCHANT_SCOPED: Record<string, string> = {
  loginAction: "signs in; no session yet",
  signOutAction: "ends the caller's own session",
  startEnrollmentAction: "the caller's own authenticator app",
  confirmEnrollmentAction: "the caller's own authenticator app",
  disableTotpAction: "the caller's own authenticator app",
  acceptInvitationAction: "a one-time link for the caller's own address",
  createAccountAction: "a one-time link; creates the invited account",
  passkeyRegistrationOptionsAction: "the caller's own passkeys (after their password)",
  registerPasskeyAction: "the caller's own passkeys",
  removePasskeyAction: "the caller's own passkeys (behind their own step-up)",
  passkeySignInOptionsAction: "signs in; no session yet (a challenge only)",
  passkeyLoginAction: "signs in; no session yet",
};

// ── A world: a merchant with members of every role, owners with an authenticator app ───────────
const TOTP = "JBSWY3DPEHPK3PXP";
interface Member {
  id: string;
  email: string;
  name: string;
  sid: string;
  membershipId: string;
}
interface World {
  merchantId: string;
  members: Record<Role, Member>;
  ownerCount: number;
}

async function member(merchantId: string, role: Role, totp = false): Promise<Member> {
  const u = await createUser(ctx.db.prisma);
  const m = await addMember(ctx.db.prisma, u.id, merchantId, role);
  if (totp) await ctx.db.prisma.totpEnrollment.create({ data: { userId: u.id, secretEnc: encrypt(TOTP), confirmedAt: new Date() } });
  return { id: u.id, email: u.email, name: u.name, sid: randomUUID(), membershipId: m.id };
}

async function world(): Promise<World> {
  const m = await createMerchant(ctx.db.prisma);
  const members = {} as Record<Role, Member>;
  for (const role of ["OWNER", "ADMIN", "DEVELOPER", "VIEWER"] as const) members[role] = await member(m.id, role, role === "OWNER");
  return { merchantId: m.id, members, ownerCount: 1 };
}

/** A fresh owner with an authenticator app for each call that needs a code: codes are single-use. */
async function freshOwner(merchantId: string) {
  const o = await member(merchantId, "OWNER", true);
  return { user: o, otp: await totpAt(TOTP, new Date()) };
}

/** What the Credentials Details page would show the bulk actions: the keys they act on, with versions. */
const shownKeys = async (merchantId: string, environment: Environment, where: Prisma.ApiKeyWhereInput) =>
  (await ctx.db.prisma.apiKey.findMany({ where: { merchantId, environment, ...where }, select: { id: true, version: true } })).map((k) => ({
    keyId: k.id,
    version: k.version,
  }));

const ownerActor = (w: World) => ({
  userId: w.members.OWNER.id,
  email: w.members.OWNER.email,
  role: "OWNER" as const,
  merchantId: w.merchantId,
});

/** A REST key with a derived signing secret (the service issues one), and an endpoint it signs, on a public address. */
async function webhookEndpoint(w: World, env: Environment) {
  const signer = await issueKey(ctx.db.prisma, ownerActor(w), {
    name: "Signer",
    description: "",
    environment: env,
    channel: "REST",
    permissions: ["payments:read"],
    ipAllowList: [],
    credentialType: "generated",
  });
  const fields = { url: "https://93.184.215.14/hooks", description: "", events: ["key.rotated" as const], signingKeyId: signer.keyId };
  const { endpointId } = await createEndpoint(ctx.db.prisma, ownerActor(w), { environment: env, ...fields });
  return { endpointId, fields };
}

/**
 * Valid arguments for each merchant-scoped action, with the resources it needs created in the
 * merchant: `otp` is filled in by the caller. `env` is the environment the action touches.
 */
type Case = { args: (otp: string) => unknown[]; env?: Environment };
const CASES: Record<string, (w: World, env: Environment) => Promise<Case>> = {
  createKeyAction: async (w, env) => ({
    env,
    args: () => [w.merchantId, { name: "Forged", environment: env, channel: "REST", permissions: ["payments:read"] }],
  }),
  editKeyAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    return { env, args: () => [w.merchantId, { keyId: k.key.id, name: "Renamed", description: "", version: k.key.version }] };
  },
  setIpAllowListAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    return { env, args: () => [w.merchantId, { keyId: k.key.id, ipAllowList: "203.0.113.0/24", version: k.key.version }] };
  },
  setChannelIpAllowListAction: async (w) => ({ args: () => [w.merchantId, { channel: "FTP", ipAllowList: "203.0.113.0/24" }] }),
  disableKeyAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    return { env, args: () => [w.merchantId, { keyId: k.key.id, version: k.key.version, confirmed: true }] };
  },
  enableKeyAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env, status: "DISABLED" });
    return { env, args: () => [w.merchantId, { keyId: k.key.id, version: k.key.version, confirmed: true }] };
  },
  revokeKeyAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env, status: "DISABLED" });
    return { env, args: (otp) => [w.merchantId, { keyId: k.key.id, version: k.key.version, confirmed: true, otp }] };
  },
  deleteKeyAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    return { env, args: (otp) => [w.merchantId, { keyId: k.key.id, version: k.key.version, confirmed: true, otp }] };
  },
  regenerateKeyAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    return { env, args: (otp) => [w.merchantId, { keyId: k.key.id, version: k.key.version, confirmed: true, otp }] };
  },
  rotateKeyAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    return { env, args: (otp) => [w.merchantId, { keyId: k.key.id, version: k.key.version, grace: "24h", confirmed: true, otp }] };
  },
  rollbackRotationAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    await rotateKey(ctx.db.prisma, ownerActor(w), k.key.id, { grace: "24h", version: k.key.version });
    const { version } = await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { id: k.key.id } });
    return { env, args: (otp) => [w.merchantId, { keyId: k.key.id, version, confirmed: true, otp }] };
  },
  revokePreviousKeyAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    const rotated = await rotateKey(ctx.db.prisma, ownerActor(w), k.key.id, { grace: "24h", version: k.key.version });
    const version = (await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { id: rotated.keyId } })).version;
    return { env, args: (otp) => [w.merchantId, { keyId: k.key.id, version, confirmed: true, otp }] };
  },
  extendGraceAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    await rotateKey(ctx.db.prisma, ownerActor(w), k.key.id, { grace: "1h", version: k.key.version });
    const { version } = await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { id: k.key.id } });
    return {
      env,
      args: (otp) => [
        w.merchantId,
        { keyId: k.key.id, version, until: new Date(Date.now() + 48 * 3600_000).toISOString(), confirmed: true, otp },
      ],
    };
  },
  rotateEnvironmentAction: async (w, env) => {
    await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    // What Credentials Details shows as rotatable: the keys rotationState lets rotate (Disabled ones too).
    const all = await ctx.db.prisma.apiKey.findMany({ where: { merchantId: w.merchantId, environment: env } });
    const keys = all.filter((k) => rotationState(k, null, new Date()).rotate.ok).map((k) => ({ keyId: k.id, version: k.version }));
    return { env, args: (otp) => [w.merchantId, { environment: env, keys, grace: "24h", confirmed: true, otp }] };
  },
  rollbackEnvironmentAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    await rotateKey(ctx.db.prisma, ownerActor(w), k.key.id, { grace: "24h", version: k.key.version });
    const keys = await shownKeys(w.merchantId, env, {
      status: { not: "REVOKED" },
      credentials: { some: { slot: "PREVIOUS", expiresAt: { gt: new Date() } } },
    });
    return { env, args: (otp) => [w.merchantId, { environment: env, keys, confirmed: true, otp }] };
  },
  impactPreviewAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    return { env, args: () => [w.merchantId, { keyIds: [k.key.id], scope: "all" }] };
  },
  planBulkKeysAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    return { env, args: () => [w.merchantId, { action: "disable", keyIds: [k.key.id] }] };
  },
  bulkDisableKeysAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    return { env, args: () => [w.merchantId, { keys: [{ keyId: k.key.id, version: k.key.version }], confirmed: true }] };
  },
  bulkEnableKeysAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env, status: "DISABLED" });
    return { env, args: () => [w.merchantId, { keys: [{ keyId: k.key.id, version: k.key.version }], confirmed: true }] };
  },
  bulkRevokeKeysAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env, status: "DISABLED" });
    return { env, args: (otp) => [w.merchantId, { keys: [{ keyId: k.key.id, version: k.key.version }], confirmed: true, otp }] };
  },
  bulkDeleteKeysAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    return { env, args: (otp) => [w.merchantId, { keys: [{ keyId: k.key.id, version: k.key.version }], confirmed: true, otp }] };
  },
  inviteMemberAction: async (w) => ({
    args: () => [w.merchantId, { email: `invited-${Math.random().toString(36).slice(2)}@example.test`, role: "VIEWER" }],
  }),
  changeMemberRoleAction: async (w) => {
    const m = await member(w.merchantId, "VIEWER");
    return { args: () => [w.merchantId, { membershipId: m.membershipId, role: "DEVELOPER" }] };
  },
  removeMemberAction: async (w) => {
    const m = await member(w.merchantId, "VIEWER");
    return { args: () => [w.merchantId, { membershipId: m.membershipId, confirmed: true }] };
  },
  revokeInvitationAction: async (w) => {
    const inv = await inviteMember(ctx.db.prisma, ownerActor(w), {
      email: `pending-${Math.random().toString(36).slice(2)}@example.test`,
      role: "VIEWER",
    });
    return { args: () => [w.merchantId, { invitationId: inv.id }] };
  },
  createSubAccountAction: async (w) => ({ args: () => [w.merchantId, { name: "Forged sub-account" }] }),
  createManagementTokenAction: async (w) => ({
    args: (otp) => [w.merchantId, { name: "Forged token", scopes: ["keys:read", "keys:rotate"], expiry: "30d", otp }],
  }),
  revokeManagementTokenAction: async (w) => {
    const t = await createToken(ctx.db.prisma, ownerActor(w), { name: "To revoke", scopes: ["keys:read"], expiry: "30d" });
    return { args: () => [w.merchantId, { tokenId: t.id }] };
  },
  createWebhookEndpointAction: async (w, env) => {
    const { fields } = await webhookEndpoint(w, env);
    return { env, args: () => [w.merchantId, { environment: env, ...fields }] };
  },
  updateWebhookEndpointAction: async (w, env) => {
    const { endpointId, fields } = await webhookEndpoint(w, env);
    return { env, args: () => [w.merchantId, { endpointId, version: 0, ...fields, url: "https://93.184.215.15/hooks" }] };
  },
  setWebhookEndpointEnabledAction: async (w, env) => {
    const { endpointId } = await webhookEndpoint(w, env);
    return { env, args: () => [w.merchantId, { endpointId, enabled: false }] };
  },
  deleteWebhookEndpointAction: async (w, env) => {
    const { endpointId } = await webhookEndpoint(w, env);
    return { env, args: () => [w.merchantId, { endpointId, confirmed: true }] };
  },
  sendWebhookTestEventAction: async (w, env) => {
    const { endpointId } = await webhookEndpoint(w, env);
    return { env, args: () => [w.merchantId, { endpointId }] };
  },
  verifyAuditChainAction: async (w) => ({ args: () => [w.merchantId, {}] }),
  endSudoAction: async (w) => ({ args: () => [w.merchantId] }),
  setExposurePolicyAction: async (w, env) => ({
    env,
    args: (otp) => [w.merchantId, { environment: env, action: "REVOKE", graceHours: 24, confirmed: true, otp }],
  }),
  dismissExposureAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    await ctx.db.prisma.apiKey.update({
      where: { id: k.key.id },
      data: { exposedAt: new Date(), exposedUrl: "https://example.test/leak" },
    });
    return { env, args: () => [w.merchantId, { keyId: k.key.id }] };
  },
  setPasskeyPolicyAction: async (w) => ({ args: (otp) => [w.merchantId, { requirePasskey: false, confirmed: true, otp }] }),
  reportLeakAction: async (w, env) => {
    const k = await createKey(ctx.db.prisma, { merchantId: w.merchantId, environment: env });
    return { env, args: () => [w.merchantId, { secret: k.secret, url: "https://example.test/leak" }] };
  },
  resendWebhookDeliveryAction: async (w, env) => {
    const { endpointId } = await webhookEndpoint(w, env);
    await sendTestEvent(ctx.db.prisma, ownerActor(w), endpointId);
    const delivery = await ctx.db.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId } });
    return { env, args: () => [w.merchantId, { deliveryId: delivery.id }] };
  },
};

// docs/design.md §2, written out again here on purpose (not imported from lib/auth/roles).
type Rule = "all" | "sandbox" | "no";
const R = (owner: Rule, admin: Rule, developer: Rule, viewer: Rule): Record<Role, Rule> => ({
  OWNER: owner,
  ADMIN: admin,
  DEVELOPER: developer,
  VIEWER: viewer,
});
const CREATE_EDIT = R("all", "all", "sandbox", "no");
const TOGGLE = R("all", "all", "no", "no");
const OWNER_ONLY = R("all", "no", "no", "no");
const READ = R("all", "all", "all", "all");
// The channel-wide IP Whitelist reaches production keys too: developers, who edit sandbox keys only, may not set it.
const CHANNEL_WIDE = R("all", "all", "no", "no");
// Webhook endpoints: owners and admins manage them in both environments; developers and viewers only read.
const WEBHOOKS = R("all", "all", "no", "no");
const ROLE_TABLE: Record<string, Record<Role, Rule>> = {
  createKeyAction: CREATE_EDIT,
  editKeyAction: CREATE_EDIT,
  setIpAllowListAction: CREATE_EDIT,
  disableKeyAction: TOGGLE,
  enableKeyAction: TOGGLE,
  setChannelIpAllowListAction: CHANNEL_WIDE,
  rotateKeyAction: OWNER_ONLY,
  rollbackRotationAction: OWNER_ONLY,
  regenerateKeyAction: OWNER_ONLY,
  revokeKeyAction: OWNER_ONLY,
  deleteKeyAction: OWNER_ONLY,
  extendGraceAction: OWNER_ONLY,
  revokePreviousKeyAction: OWNER_ONLY,
  rotateEnvironmentAction: OWNER_ONLY,
  rollbackEnvironmentAction: OWNER_ONLY,
  impactPreviewAction: READ,
  planBulkKeysAction: READ,
  bulkDisableKeysAction: TOGGLE,
  bulkEnableKeysAction: TOGGLE,
  bulkRevokeKeysAction: OWNER_ONLY,
  bulkDeleteKeysAction: OWNER_ONLY,
  inviteMemberAction: OWNER_ONLY,
  changeMemberRoleAction: OWNER_ONLY,
  removeMemberAction: OWNER_ONLY,
  revokeInvitationAction: OWNER_ONLY,
  createSubAccountAction: OWNER_ONLY,
  createManagementTokenAction: OWNER_ONLY,
  revokeManagementTokenAction: OWNER_ONLY,
  createWebhookEndpointAction: WEBHOOKS,
  updateWebhookEndpointAction: WEBHOOKS,
  setWebhookEndpointEnabledAction: WEBHOOKS,
  deleteWebhookEndpointAction: WEBHOOKS,
  sendWebhookTestEventAction: WEBHOOKS,
  resendWebhookDeliveryAction: WEBHOOKS,
  // The merchant-wide audit log and its integrity check: owners and admins.
  verifyAuditChainAction: R("all", "all", "no", "no"),
  // Ends the caller's own sudo window: anyone may, it changes nothing of the merchant's.
  endSudoAction: READ,
  dismissExposureAction: OWNER_ONLY,
  setExposurePolicyAction: OWNER_ONLY,
  // Whoever may hold keys may report one found leaked (the merchant's exposure policy decides what happens).
  reportLeakAction: R("all", "all", "all", "no"),
  setPasskeyPolicyAction: OWNER_ONLY,
};

/**
 * Every committed write, per table: a row trigger on each table of this test's database appends
 * the table's name to a log in the writing transaction (a rollback takes the entry with it), so
 * equal before and after means nothing was written: no insert, update (even to the same values),
 * delete or truncate. Reading the log's counts is cheap where scanning every table was not.
 */
async function installWriteLog() {
  const tables = await ctx.db.prisma.$queryRaw<{ t: string }[]>`
    SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY 1`;
  expect(tables.length).toBeGreaterThan(20);
  await ctx.db.prisma.$executeRawUnsafe(`CREATE TABLE test_write_log (id bigserial PRIMARY KEY, t text NOT NULL)`);
  await ctx.db.prisma.$executeRawUnsafe(
    `CREATE FUNCTION test_note_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO test_write_log (t) VALUES (TG_TABLE_NAME); RETURN NULL; END $$`,
  );
  for (const { t } of tables) {
    await ctx.db.prisma.$executeRawUnsafe(
      `CREATE TRIGGER test_write_row AFTER INSERT OR UPDATE OR DELETE ON "${t}" FOR EACH ROW EXECUTE FUNCTION test_note_write()`,
    );
    await ctx.db.prisma.$executeRawUnsafe(
      `CREATE TRIGGER test_write_truncate AFTER TRUNCATE ON "${t}" FOR EACH STATEMENT EXECUTE FUNCTION test_note_write()`,
    );
  }
}
async function fingerprint(except: string[] = []): Promise<string> {
  const rows = await ctx.db.prisma.$queryRaw<{ t: string; n: bigint }[]>`
    SELECT t, count(*) AS n FROM test_write_log WHERE NOT (t = ANY(${except}::text[])) GROUP BY t ORDER BY t`;
  return rows.map((r) => `${r.t}:${r.n}`).join(",");
}

const asUser = (m: Member | null) => (ctx.user = m ? { id: m.id, email: m.email, name: m.name, sid: m.sid } : null);
async function call(name: string, args: unknown[]): Promise<Result> {
  const fn = discovered.find((d) => d.name === name)!.fn;
  const res = await fn(...args);
  return res ?? { ok: true };
}

beforeAll(async () => {
  ctx.db = await createTestDatabase();
  await installWriteLog();
  for (const file of serverModules) {
    const mod = (await import(/* @vite-ignore */ join(ACTIONS_DIR, file))) as Record<string, unknown>;
    for (const [name, fn] of Object.entries(mod)) {
      if (typeof fn !== "function") continue;
      const params = /^[^(]*\(([^)]*)\)/.exec(fn.toString())?.[1] ?? "";
      discovered.push({
        name,
        fn: fn as ActionFn,
        firstParam: params
          .split(",")[0]
          .trim()
          .replace(/[=:].*$/, "")
          .trim(),
      });
    }
  }
}, 60_000);
afterAll(async () => ctx.db?.close());

describe("the write detector the suite relies on", () => {
  it("sees a committed insert, an update to the same values and a delete, and not a rolled-back write", async () => {
    const w = await world();
    let before = await fingerprint();
    await ctx.db.prisma.merchant.update({
      where: { id: w.merchantId },
      data: { name: (await ctx.db.prisma.merchant.findUniqueOrThrow({ where: { id: w.merchantId } })).name },
    });
    expect(await fingerprint()).not.toBe(before);
    before = await fingerprint();
    await expect(
      ctx.db.prisma.$transaction(async (tx) => {
        await tx.merchant.update({ where: { id: w.merchantId }, data: { name: "rolled back" } });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await fingerprint()).toBe(before);
    const user = await createUser(ctx.db.prisma, { email: `detector-${randomUUID()}@example.test` });
    expect(await fingerprint()).not.toBe(before);
    before = await fingerprint();
    await ctx.db.prisma.user.delete({ where: { id: user.id } });
    expect(await fingerprint()).not.toBe(before);
    before = await fingerprint(["users"]);
    await createUser(ctx.db.prisma, { email: `detector-${randomUUID()}@example.test` });
    expect(await fingerprint(["users"])).toBe(before);
  });
});

describe("the action list comes from the code", () => {
  it("finds the server actions, and every one is either merchant-scoped with a case or explained", () => {
    expect(serverModules.length).toBeGreaterThan(10);
    for (const d of discovered) {
      if (d.firstParam === "merchantId") {
        expect(Object.keys(CASES), `${d.name} takes a merchant id but has no tenancy case`).toContain(d.name);
        expect(Object.keys(ROLE_TABLE), `${d.name} has no row in the role table`).toContain(d.name);
      } else {
        expect(
          Object.keys(NOT_MERCHANT_SCOPED),
          `${d.name} (first parameter "${d.firstParam}") is not merchant-scoped: explain why here`,
        ).toContain(d.name);
      }
    }
    expect(discovered.filter((d) => d.firstParam === "merchantId").length).toBe(Object.keys(CASES).length);
  });
});

describe("tenancy: a user of another merchant gets the not-found answer and changes nothing", () => {
  it("with the victim's merchant id, or with the victim's key, member and invitation ids on their own merchant", async () => {
    const victim = await world();
    const attackerWorld = await world();
    const failures: string[] = [];
    for (const d of discovered.filter((x) => x.firstParam === "merchantId")) {
      const c = await CASES[d.name](victim, "production");
      const { user, otp } = await freshOwner(attackerWorld.merchantId);
      asUser(user);
      const args = c.args(otp);
      let before = await fingerprint();
      let res = await call(d.name, args);
      if (res.ok || res.code !== "NOT_FOUND") failures.push(`${d.name} on the victim's merchant: ${JSON.stringify(res)}`);
      if ((await fingerprint()) !== before) failures.push(`${d.name} on the victim's merchant wrote something`);
      // The same ids, sent to the attacker's own merchant (where they are an owner with a code).
      const ids = JSON.stringify(args.slice(1)).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g);
      if (!ids) continue; // nothing of the victim's is named: it would act on the attacker's own merchant
      before = await fingerprint(["totp_enrollments"]);
      res = await call(d.name, [attackerWorld.merchantId, ...args.slice(1)]);
      if (res.ok || res.code !== "NOT_FOUND") failures.push(`${d.name} with the victim's ids: ${JSON.stringify(res)}`);
      if ((await fingerprint(["totp_enrollments"])) !== before) failures.push(`${d.name} with the victim's ids wrote something`);
    }
    expect(failures).toEqual([]);
  });

  it("a signed-out caller gets UNAUTHENTICATED from every merchant action and changes nothing", async () => {
    const victim = await world();
    asUser(null);
    for (const d of discovered.filter((x) => x.firstParam === "merchantId")) {
      const c = await CASES[d.name](victim, "sandbox");
      const before = await fingerprint();
      expect(await call(d.name, c.args("000000")), d.name).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
      expect(await fingerprint(), d.name).toBe(before);
    }
  });
});

describe("roles: every role × every action follows docs/design.md §2 on the server", () => {
  for (const role of ["OWNER", "ADMIN", "DEVELOPER", "VIEWER"] as const) {
    it(`as ${role}`, async () => {
      const w = await world();
      const failures: string[] = [];
      for (const name of Object.keys(ROLE_TABLE)) {
        for (const env of ["sandbox", "production"] as const) {
          const c = await CASES[name](w, env);
          const rule = ROLE_TABLE[name][role];
          const allowed = rule === "all" || (rule === "sandbox" && (c.env ?? "sandbox") === "sandbox");
          let otp = "";
          if (role === "OWNER") {
            const fresh = await freshOwner(w.merchantId);
            asUser(fresh.user);
            otp = fresh.otp;
          } else asUser(w.members[role]);
          const before = await fingerprint(["totp_enrollments"]);
          const res = await call(name, c.args(otp));
          // Allowed means done: each case sets up a key the action applies to, so a refusal for its state is a failure too.
          if (allowed && !res.ok) failures.push(`${name} (${env}) should be allowed for ${role}: ${JSON.stringify(res)}`);
          if (!allowed) {
            if (res.ok || res.code !== "FORBIDDEN") failures.push(`${name} (${env}) should be refused for ${role}: ${JSON.stringify(res)}`);
            if ((await fingerprint(["totp_enrollments"])) !== before)
              failures.push(`${name} (${env}) refused for ${role} but wrote something`);
          }
          if (!c.env) break; // not environment-specific: once is enough
        }
      }
      expect(failures).toEqual([]);
    });
  }
});

// ── Bad input: a corpus against every action; 0 internal errors, and a refusal writes nothing ──
const deep = (() => {
  let o: Record<string, unknown> = {};
  for (let i = 0; i < 2000; i++) o = { a: o };
  return o;
})();
const WHOLE: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1e308,
  Number.NaN,
  "",
  "x".repeat(1_000_000),
  [],
  [1, 2, 3],
  {},
  true,
  deep,
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  "__proto__",
];
const FIELD: unknown[] = [
  null,
  123,
  -1,
  1e21,
  true,
  [],
  {},
  "",
  "x".repeat(100_000),
  "оwner@acme.test",
  "owner@acme.test\u200b",
  "10.0.0.0/33",
  "::ffff:999.1.1.1",
  "1.2.3.4/-1",
  "0.0.0.0/0,,,",
  "<script>alert(1)</script>",
  "'; DROP TABLE api_keys; --",
  "\u0000",
  "../../etc/passwd",
  "__proto__",
  { __proto__: { polluted: true } },
  ["a", { b: 1 }],
];

describe("bad input: a corpus against every action", () => {
  it("never answers with an internal error, never throws, and a refusal writes nothing", async () => {
    const w = await world();
    const failures: string[] = [];
    let calls = 0;
    for (const name of Object.keys(CASES)) {
      const c = await CASES[name](w, "sandbox");
      asUser((await freshOwner(w.merchantId)).user);
      const valid = c.args("123456"); // a wrong code: nothing may get through on a code anyway
      const variants: unknown[][] = [];
      for (const bad of WHOLE) variants.push([valid[0], ...valid.slice(1, -1), bad]);
      for (const bad of [...WHOLE.slice(0, 12), "not-a-uuid", "00000000-0000-0000-0000-000000000000"])
        variants.push([bad, ...valid.slice(1)]);
      const input = valid[valid.length - 1] as Record<string, unknown>;
      for (const field of Object.keys(input)) for (const bad of FIELD) variants.push([...valid.slice(0, -1), { ...input, [field]: bad }]);
      variants.push([
        ...valid.slice(0, -1),
        JSON.parse(JSON.stringify({ ...input, __proto__: { admin: true } }).replace('"__proto__":{}', '"__proto__":{"admin":true}')),
      ]);
      variants.push([...valid.slice(0, -1), { ...input, unexpected: "field" }]);
      for (const args of variants) {
        calls++;
        const before = await fingerprint(["totp_enrollments"]);
        let res: Result;
        try {
          res = await call(name, args);
        } catch (err) {
          failures.push(`${name} threw ${String(err).slice(0, 120)}`);
          continue;
        }
        if (res.code === "INTERNAL") failures.push(`${name} internal error for ${JSON.stringify(args).slice(0, 160)}`);
        if (!res.ok && (await fingerprint(["totp_enrollments"])) !== before)
          failures.push(`${name} refused but wrote for ${JSON.stringify(args).slice(0, 160)}`);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(1000);
    // About 100 variants per action, each fingerprinting every table.
  }, 600_000);
});

// ── Flight reference tokens: what React decodes "$T", "$@", "$Q"… into, as any field of any action ──
describe("Flight reference tokens: a decoded reference as any field of any action is refused with VALIDATION", () => {
  /** Tokens that decode to a JSON value (null for "$h" without a server manifest) are ordinary bad input, covered above. */
  const isJsonValue = (v: unknown) => v === null || v === undefined || typeof v === "number";

  it("merchant actions: every input field, the key id and the merchant id", async () => {
    const decoded = await decodedFlightValues();
    // The tags the issue names, among those that reach an action at all.
    for (const tag of ["$T", "$Q", "$@", "$K", "$D", "$n", "$i", "$W"]) expect([...decoded.keys()]).toContain(tag);
    const w = await world();
    const failures: string[] = [];
    let refusals = 0;
    for (const name of Object.keys(CASES)) {
      const c = await CASES[name](w, "sandbox");
      asUser((await freshOwner(w.merchantId)).user);
      const valid = c.args("123456");
      const input = valid[valid.length - 1] as Record<string, unknown>;
      for (const [tag, value] of decoded) {
        const variants: unknown[][] = [
          [...valid.slice(0, -1), value],
          [value, ...valid.slice(1)],
          ...Object.keys(input).map((field) => [...valid.slice(0, -1), { ...input, [field]: value }]),
          ...valid.slice(1, -1).map((_, i) => valid.map((a, j) => (j === i + 1 ? value : a))),
        ];
        for (const args of variants) {
          const before = await fingerprint(["totp_enrollments"]);
          let res: Result;
          try {
            res = await call(name, args);
          } catch (err) {
            failures.push(`${name} threw on ${tag}: ${String(err).slice(0, 120)}`);
            continue;
          }
          if (!isJsonValue(value) && res.code !== "VALIDATION") failures.push(`${name} answered ${res.code ?? "ok"} for ${tag}`);
          if (res.code === "INTERNAL") failures.push(`${name} internal error for ${tag}`);
          if (!res.ok && (await fingerprint(["totp_enrollments"])) !== before) failures.push(`${name} refused ${tag} but wrote`);
          if (res.code === "VALIDATION") refusals++;
        }
      }
    }
    expect(failures).toEqual([]);
    expect(refusals).toBeGreaterThan(500);
  }, 300_000);

  it("the signed-in user's own actions and the invitation links", async () => {
    const decoded = await decodedFlightValues();
    const w = await world();
    asUser(w.members.DEVELOPER);
    const calls: Record<string, (v: unknown) => unknown[][]> = {
      startEnrollmentAction: (v) => [[v], [{ password: v }]],
      confirmEnrollmentAction: (v) => [[v], [{ code: v }]],
      disableTotpAction: (v) => [[v], [{ code: v }]],
      passkeyRegistrationOptionsAction: (v) => [[v], [{ name: v, password: "x" }], [{ name: "x", password: v }]],
      registerPasskeyAction: (v) => [[v], [{ name: v, response: {} }], [{ name: "x", response: v }]],
      removePasskeyAction: (v) => [[v], [{ passkeyId: v, otp: "123456" }], [{ passkeyId: randomUUID(), otp: v }]],
      acceptInvitationAction: (v) => [[v]],
      createAccountAction: (v) => [
        [v, {}],
        ["token", v],
        ["token", { name: v, password: "x" }],
        ["token", { name: "x", password: v }],
      ],
    };
    const failures: string[] = [];
    for (const [name, variants] of Object.entries(calls)) {
      for (const [tag, value] of decoded) {
        if (isJsonValue(value)) continue;
        for (const args of variants(value)) {
          const res = await call(name, args);
          if (res.code !== "VALIDATION") failures.push(`${name} answered ${res.code ?? "ok"} for ${tag}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
