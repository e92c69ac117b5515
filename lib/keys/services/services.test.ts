import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import { codeOf } from "@/lib/testing/outcome";
import type { Database } from "@/lib/db/client";
import { createActor, createKey as createKeyRow } from "@/prisma/factories";
import { AppError } from "@/lib/core/errors";
import { createKeySchema, editKeySchema, ipAllowListSchema } from "../schema";
import { hashSecret, parseSecret } from "../secret";
import { verifyCustomSecret } from "../custom-credentials";
import { createKey, duplicateKey } from "./create-key";
import { editKey, setIpAllowList } from "./update-key";
import { changeKeyStatus, disableKey, revokeKey } from "./change-key-status";
import { deleteKey } from "./delete-key";
import { regenerateKey } from "./regenerate-key";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

const input = (over: Record<string, unknown> = {}) =>
  createKeySchema.parse({
    name: "Checkout",
    description: "web",
    environment: "production",
    channel: "REST",
    permissions: ["payments:read", "payments:write"],
    ipAllowList: "10.0.0.0/8\n203.0.113.7",
    ...over,
  });
const code = codeOf;
const audit = (keyId: string) => db.prisma.auditEvent.findMany({ where: { apiKeyId: keyId }, orderBy: { createdAt: "asc" } });

describe("create", () => {
  it("makes an Enabled key with one current credential, returns the secret once and stores only its hash", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const issued = await createKey(db.prisma, owner, input());
    expect(parseSecret(issued.secret)?.env).toBe("production");
    const key = await db.prisma.apiKey.findUniqueOrThrow({
      where: { id: issued.keyId },
      include: { credentials: { omit: { secretHash: false } } },
    });
    expect(key.status).toBe("ENABLED");
    expect(key.ipAllowList).toEqual(["10.0.0.0/8", "203.0.113.7"]);
    expect(key.expiresAt.getTime() - key.createdAt.getTime()).toBe(365 * 24 * 3600_000);
    expect(key.credentials).toHaveLength(1);
    expect(key.credentials[0].secretHash).toBe(hashSecret(issued.secret));
    expect(JSON.stringify(key)).not.toContain(issued.secret);
    const events = await audit(issued.keyId);
    expect(events.map((e) => [e.action, e.actorEmail, e.clientIp])).toEqual([["key.created", owner.email, "203.0.113.9"]]);
    expect(JSON.stringify(events)).not.toContain(issued.secret);
    expect(await db.prisma.keyChange.count({ where: { apiKeyId: issued.keyId } })).toBe(1);
  });

  it("lets developers create sandbox keys only; viewers none", async () => {
    const dev = await createActor(db.prisma, "DEVELOPER");
    expect(await code(createKey(db.prisma, dev, input({ environment: "sandbox" })))).toBe("OK");
    expect(await code(createKey(db.prisma, dev, input()))).toBe("FORBIDDEN");
    const viewer = await createActor(db.prisma, "VIEWER");
    expect(await code(createKey(db.prisma, viewer, input({ environment: "sandbox" })))).toBe("FORBIDDEN");
  });

  it("stores user-chosen credentials with a slow hash, on the channels that allow them", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const username = `sftp-${Date.now()}`;
    const issued = await createKey(
      db.prisma,
      owner,
      input({ channel: "FTP", credentialType: "custom", username, password: "Tr0ub4dor&3-horse" }),
    );
    expect(issued.accessKey).toBe(username);
    const cred = await db.prisma.credential.findFirstOrThrow({ where: { apiKeyId: issued.keyId }, omit: { secretHash: false } });
    expect(cred.kind).toBe("USER_CHOSEN");
    expect(cred.secretHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyCustomSecret(cred.secretHash, "Tr0ub4dor&3-horse")).toBe(true);
    expect(await verifyCustomSecret(cred.secretHash, "Tr0ub4dor&3-horsf")).toBe(false);
    // The username is the public access key, so it is unique.
    expect(
      await code(
        createKey(db.prisma, owner, input({ channel: "HTTP", credentialType: "custom", username, password: "another-Long-pass9" })),
      ),
    ).toBe("USERNAME_TAKEN");
  });

  it("refuses weak or misplaced user-chosen credentials in the schema", () => {
    const bad = (over: Record<string, unknown>) =>
      createKeySchema.safeParse({ ...input(), ipAllowList: [], ...over }).error?.issues.map((i) => i.path.join("."));
    expect(bad({ channel: "REST", credentialType: "custom", username: "abc", password: "long-enough-pass-1" })).toEqual(["credentialType"]);
    expect(bad({ channel: "FTP", credentialType: "custom", username: "ftp-user", password: "short" })).toEqual(["password"]);
    expect(bad({ channel: "FTP", credentialType: "custom", username: "ftp-user", password: "password1234" })).toEqual(["password"]);
    expect(bad({ channel: "FTP", credentialType: "custom", username: "no spaces!", password: "long-enough-pass-1" })).toEqual(["username"]);
    expect(bad({ ipAllowList: "10.0.0.0/33" })).toEqual(["ipAllowList"]);
    expect(bad({ permissions: [] })).toEqual(["permissions"]);
    expect(bad({ permissions: ["payments:delete"] })).toEqual(["permissions.0"]);
  });

  it("leaves no key and no audit row when the transaction fails part-way", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const before = await db.prisma.apiKey.count({ where: { merchantId: owner.merchantId } });
    // An actor e-mail too long for the audit column makes the audit insert, after the key insert, fail.
    const broken = { ...owner, email: `${"x".repeat(300)}@example.test` };
    await expect(createKey(db.prisma, broken, input())).rejects.toThrow();
    expect(await db.prisma.apiKey.count({ where: { merchantId: owner.merchantId } })).toBe(before);
    expect(await db.prisma.auditEvent.count({ where: { merchantId: owner.merchantId } })).toBe(0);
  });
});

describe("duplicate", () => {
  it("copies the presets with a fresh credential and the name '<name> (copy)'", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const src = await createKey(db.prisma, owner, input({ channel: "HTTP", permissions: ["webhooks:manage"] }));
    const dup = await duplicateKey(db.prisma, owner, src.keyId);
    const [a, b] = await Promise.all([src.keyId, dup.keyId].map((id) => db.prisma.apiKey.findUniqueOrThrow({ where: { id } })));
    expect(b.name).toBe("Checkout (copy)");
    for (const f of ["channel", "environment", "permissions", "ipAllowList", "description"] as const) expect(b[f]).toEqual(a[f]);
    expect(dup.secret).not.toBe(src.secret);
    expect(dup.accessKey).not.toBe(src.accessKey);
    expect((await audit(dup.keyId)).map((e) => e.action)).toEqual(["key.duplicated"]);
  });
});

describe("edit", () => {
  it("changes only name and description, bumps the version and audits before/after", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const { keyId } = await createKey(db.prisma, owner, input());
    const res = await editKey(db.prisma, owner, keyId, { name: "Renamed", description: "new", version: 0 });
    expect(res).toEqual({ version: 1, changed: true });
    const key = await db.prisma.apiKey.findUniqueOrThrow({ where: { id: keyId } });
    expect([key.name, key.description, key.updatedById]).toEqual(["Renamed", "new", owner.userId]);
    const last = (await audit(keyId)).at(-1)!;
    expect(last.action).toBe("key.updated");
    expect(last.before).toEqual({ name: "Checkout", description: "web" });
  });

  it("refuses a stale version with a clear 'changed meanwhile' error", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const { keyId } = await createKey(db.prisma, owner, input());
    await editKey(db.prisma, owner, keyId, { name: "First", description: "", version: 0 });
    const err = await editKey(db.prisma, owner, keyId, { name: "Second", description: "", version: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toMatch(/changed meanwhile/);
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: keyId } })).name).toBe("First");
  });

  it("lets exactly one of two concurrent edits of the same version win", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const { keyId } = await createKey(db.prisma, owner, input());
    const results = await Promise.all(
      ["A", "B"].map((n) => code(editKey(db.prisma, owner, keyId, { name: n, description: "", version: 0 }))),
    );
    expect(results.sort()).toEqual(["CONFLICT", "OK"]);
  });

  it("never changes permissions: the schemas reject them and the services ignore them", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const { keyId } = await createKey(db.prisma, owner, input());
    expect(editKeySchema.safeParse({ name: "x", description: "", version: 0, permissions: ["refunds:write"] }).success).toBe(false);
    expect(ipAllowListSchema.safeParse({ ipAllowList: [], version: 0, permissions: ["refunds:write"] }).success).toBe(false);
    await editKey(db.prisma, owner, keyId, { name: "x", description: "", permissions: ["refunds:write"] } as never);
    await setIpAllowList(db.prisma, owner, keyId, { ipAllowList: [], permissions: ["refunds:write"] } as never);
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: keyId } })).permissions).toEqual(["payments:read", "payments:write"]);
  });

  it("sets the IP allow-list", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const { keyId } = await createKey(db.prisma, owner, input());
    const parsed = ipAllowListSchema.parse({ ipAllowList: "2001:DB8::/32, 198.51.100.0/24", version: 0 });
    await setIpAllowList(db.prisma, owner, keyId, parsed);
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: keyId } })).ipAllowList).toEqual(["2001:db8::/32", "198.51.100.0/24"]);
  });
});

describe("status changes", () => {
  it("disable, enable, disable, revoke; then nothing changes a revoked key", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const { keyId } = await createKey(db.prisma, owner, input());
    expect(await code(revokeKey(db.prisma, owner, keyId))).toBe("INVALID_TRANSITION"); // only from Disabled
    expect((await disableKey(db.prisma, owner, keyId)).status).toBe("DISABLED");
    expect((await changeKeyStatus(db.prisma, owner, keyId, "enable")).status).toBe("ENABLED");
    await disableKey(db.prisma, owner, keyId);
    expect((await revokeKey(db.prisma, owner, keyId)).status).toBe("REVOKED");
    // One at a time: each attempt must be refused for the status, not for a lock held by another.
    for (const attempt of [
      () => changeKeyStatus(db.prisma, owner, keyId, "enable"),
      () => disableKey(db.prisma, owner, keyId),
      () => editKey(db.prisma, owner, keyId, { name: "n", description: "" }),
      () => setIpAllowList(db.prisma, owner, keyId, { ipAllowList: [] }),
      () => duplicateKey(db.prisma, owner, keyId),
      () => regenerateKey(db.prisma, owner, keyId),
      () => deleteKey(db.prisma, owner, keyId),
    ])
      expect(await code(attempt())).toBe("INVALID_TRANSITION");
    expect((await audit(keyId)).map((e) => e.action)).toEqual([
      "key.created",
      "key.disabled",
      "key.enabled",
      "key.disabled",
      "key.revoked",
    ]);
  });

  it("follows the role table: admins toggle but cannot revoke; developers and viewers do neither", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const { keyId } = await createKey(db.prisma, owner, input({ environment: "sandbox" }));
    const admin = await createActor(db.prisma, "ADMIN", owner.merchantId);
    const dev = await createActor(db.prisma, "DEVELOPER", owner.merchantId);
    const viewer = await createActor(db.prisma, "VIEWER", owner.merchantId);
    expect(await code(disableKey(db.prisma, dev, keyId))).toBe("FORBIDDEN");
    expect(await code(disableKey(db.prisma, viewer, keyId))).toBe("FORBIDDEN");
    expect(await code(disableKey(db.prisma, admin, keyId))).toBe("OK");
    expect(await code(revokeKey(db.prisma, admin, keyId))).toBe("FORBIDDEN");
    expect(await code(deleteKey(db.prisma, admin, keyId))).toBe("FORBIDDEN");
    expect(await code(regenerateKey(db.prisma, admin, keyId))).toBe("FORBIDDEN");
    expect(await code(editKey(db.prisma, dev, keyId, { name: "dev edit", description: "" }))).toBe("OK");
    expect(await code(editKey(db.prisma, viewer, keyId, { name: "viewer edit", description: "" }))).toBe("FORBIDDEN");
  });
});

describe("delete and regenerate", () => {
  it("delete removes the key and its credentials but keeps its history", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const { keyId } = await createKey(db.prisma, owner, input());
    await deleteKey(db.prisma, owner, keyId);
    expect(await db.prisma.apiKey.findUnique({ where: { id: keyId } })).toBeNull();
    expect(await db.prisma.credential.count({ where: { apiKeyId: keyId } })).toBe(0);
    expect((await audit(keyId)).map((e) => e.action)).toEqual(["key.created", "key.deleted"]);
    expect(await db.prisma.keyChange.count({ where: { apiKeyId: keyId, kind: "key.deleted" } })).toBe(1);
  });

  it("regenerate replaces the credential at once and keeps everything else", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const first = await createKey(db.prisma, owner, input());
    const before = await db.prisma.apiKey.findUniqueOrThrow({ where: { id: first.keyId } });
    const second = await regenerateKey(db.prisma, owner, first.keyId);
    const creds = await db.prisma.credential.findMany({ where: { apiKeyId: first.keyId }, omit: { secretHash: false } });
    expect(creds.find((c) => c.slot === "CURRENT")?.secretHash).toBe(hashSecret(second.secret));
    const old = creds.find((c) => c.slot === "PREVIOUS")!;
    expect(old.secretHash).toBe(hashSecret(first.secret));
    expect(old.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now()); // stopped at once
    const after = await db.prisma.apiKey.findUniqueOrThrow({ where: { id: first.keyId } });
    expect(after.lastRotatedAt).not.toBeNull();
    for (const f of ["name", "permissions", "ipAllowList", "environment", "channel", "status", "expiresAt"] as const)
      expect(after[f]).toEqual(before[f]);
  });
});

describe("another merchant's key", () => {
  it("answers every action exactly like a key that does not exist", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const { keyId } = await createKey(db.prisma, owner, input());
    const stranger = await createActor(db.prisma, "OWNER");
    const missing = "00000000-0000-4000-8000-000000000000";
    const attempts = (id: string) => [
      duplicateKey(db.prisma, stranger, id),
      editKey(db.prisma, stranger, id, { name: "x", description: "" }),
      setIpAllowList(db.prisma, stranger, id, { ipAllowList: [] }),
      changeKeyStatus(db.prisma, stranger, id, "disable"),
      changeKeyStatus(db.prisma, stranger, id, "enable"),
      changeKeyStatus(db.prisma, stranger, id, "revoke"),
      deleteKey(db.prisma, stranger, id),
      regenerateKey(db.prisma, stranger, id),
    ];
    const theirs = await Promise.all(attempts(keyId).map(code));
    const none = await Promise.all(attempts(missing).map(code));
    expect(theirs).toEqual(Array(8).fill("NOT_FOUND"));
    expect(none).toEqual(theirs);
    expect(await code(editKey(db.prisma, stranger, "not-a-uuid", { name: "x", description: "" }))).toBe("NOT_FOUND");
    const key = await db.prisma.apiKey.findUniqueOrThrow({ where: { id: keyId } });
    expect([key.name, key.status, key.version]).toEqual(["Checkout", "ENABLED", 0]);
  });
});

describe("factories", () => {
  it("make keys for other tests", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const { key } = await createKeyRow(db.prisma, { merchantId: owner.merchantId });
    expect(key.status).toBe("ENABLED");
  });
});
