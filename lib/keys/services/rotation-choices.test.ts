// Rotation as a first-time owner meets it: a bulk rotation with keys mid-rotation, "Revoke previous
// key now", and keys with their own username and password.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { addMember, createActor, createUser } from "@/prisma/factories";
import { AppError } from "@/lib/core/errors";
import { randomUUID } from "node:crypto";
import { createKeySchema, rotateKeySchema } from "../schema";
import { CUSTOM_SECRET_MASK } from "../custom-credentials";
import { hashSecret } from "../secret";
import { createKey } from "./create-key";
import { rotateKey } from "./rotate-key";
import { rotateEnvironment } from "./rotate-environment";
import { rollbackEnvironment } from "./rollback-environment";
import { NO_PREVIOUS_KEY, revokePreviousKey } from "./revoke-previous";
import { regenerateKey } from "./regenerate-key";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

const input = (over: Record<string, unknown> = {}) =>
  createKeySchema.parse({ name: "Key", environment: "production", channel: "REST", permissions: ["payments:read"], ...over });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e) => (e instanceof AppError ? { code: e.code, message: e.message } : { code: `UNEXPECTED ${e}`, message: "" }),
  );
const creds = (keyId: string) =>
  db.prisma.credential.findMany({ where: { apiKeyId: keyId }, omit: { secretHash: false }, orderBy: { slot: "asc" } });
const version = async (keyId: string) => (await db.prisma.apiKey.findUniqueOrThrow({ where: { id: keyId } })).version;
const shown = async (ids: string[]) => Promise.all(ids.map(async (keyId) => ({ keyId, version: await version(keyId) })));

/** An owner and a developer on one merchant: everyone who gets its mail. */
async function team() {
  const owner = await createActor(db.prisma, "OWNER");
  const dev = await createUser(db.prisma);
  await addMember(db.prisma, dev.id, owner.merchantId, "DEVELOPER");
  const mail = (template: string) => db.prisma.outboxMail.findMany({ where: { toAddress: { in: [owner.email, dev.email] }, template } });
  return { owner, mail };
}

describe("bulk rotation with keys mid-rotation", () => {
  it("rotates the others, leaves the mid-rotation key as it is, and says so per key", async () => {
    const { owner } = await team();
    const [a, b, c] = [
      await createKey(db.prisma, owner, input({ name: "A" })),
      await createKey(db.prisma, owner, input({ name: "B" })),
      await createKey(db.prisma, owner, input({ name: "C" })),
    ];
    await rotateKey(db.prisma, owner, b.keyId, { grace: "24h", version: 0 });
    const before = await creds(b.keyId);
    const results = await rotateEnvironment(db.prisma, owner, "production", "24h", await shown([a.keyId, b.keyId, c.keyId]));
    expect(results.map((r) => [r.name, r.outcome])).toEqual([
      ["A", "rotated"],
      ["B", "left-mid-rotation"],
      ["C", "rotated"],
    ]);
    expect(await creds(b.keyId)).toEqual(before);
    expect((await creds(a.keyId)).map((x) => x.slot)).toEqual(["CURRENT", "PREVIOUS"]);
  });

  it("with finishWindows, ends the open window first and rotates that key too", async () => {
    const { owner } = await team();
    const k = await createKey(db.prisma, owner, input());
    const first = await rotateKey(db.prisma, owner, k.keyId, { grace: "24h", version: 0 });
    const results = await rotateEnvironment(db.prisma, owner, "production", "24h", await shown([k.keyId]), new Date(), {
      finishWindows: true,
    });
    expect(results).toMatchObject([{ outcome: "rotated", finishedWindow: true }]);
    const hashes = (await creds(k.keyId)).map((x) => x.secretHash);
    expect(hashes).toContain(hashSecret(first.secret)); // the window's new key is now the previous one
    expect(hashes).not.toContain(hashSecret(k.secret)); // the oldest one stopped at once
  });

  it("sends each member one mail listing the keys, not one per key", async () => {
    const { owner, mail } = await team();
    const ids = [
      (await createKey(db.prisma, owner, input({ name: "One" }))).keyId,
      (await createKey(db.prisma, owner, input({ name: "Two" }))).keyId,
    ];
    await rotateEnvironment(db.prisma, owner, "production", "24h", await shown(ids));
    expect(await mail("key-rotated")).toHaveLength(0);
    const sent = await mail("keys-rotated");
    expect(sent).toHaveLength(2);
    expect((sent[0].props as { keys: { name: string }[] }).keys.map((k) => k.name)).toEqual(["One", "Two"]);
  });

  it("a bulk rollback also sends each member one mail listing the keys, not one per key", async () => {
    const { owner, mail } = await team();
    const ids = [
      (await createKey(db.prisma, owner, input({ name: "Uno" }))).keyId,
      (await createKey(db.prisma, owner, input({ name: "Dos" }))).keyId,
    ];
    await rotateEnvironment(db.prisma, owner, "production", "24h", await shown(ids));
    await rollbackEnvironment(db.prisma, owner, "production", await shown(ids));
    expect(await mail("key-rolled-back")).toHaveLength(0);
    const sent = await mail("keys-rolled-back");
    expect(sent).toHaveLength(2);
    expect(sent[0].subject).toMatch(/^\[Keyport\] API keys rolled back: 2 keys of /);
    expect((sent[0].props as { keys: { name: string }[] }).keys.map((k) => k.name).sort()).toEqual(["Dos", "Uno"]);
  });
});

describe("revoke previous key now", () => {
  it("ends the window at once, with its audit row, a change-feed row and a mail to every member", async () => {
    const { owner, mail } = await team();
    const k = await createKey(db.prisma, owner, input());
    const rotated = await rotateKey(db.prisma, owner, k.keyId, { grace: "7d", version: 0 });
    await revokePreviousKey(db.prisma, owner, k.keyId, await version(k.keyId));
    expect((await creds(k.keyId)).map((x) => x.secretHash)).toEqual([hashSecret(rotated.secret)]);
    expect(await db.prisma.auditEvent.count({ where: { apiKeyId: k.keyId, action: "key.previous_revoked" } })).toBe(1);
    expect(await db.prisma.keyChange.count({ where: { apiKeyId: k.keyId } })).toBeGreaterThanOrEqual(2);
    expect(await mail("previous-revoked")).toHaveLength(2);
  });

  it("is refused with nothing to revoke, for a stale version, and for anyone but an owner", async () => {
    const { owner } = await team();
    const k = await createKey(db.prisma, owner, input());
    expect(await failure(revokePreviousKey(db.prisma, owner, k.keyId, 0))).toEqual({
      code: "INVALID_TRANSITION",
      message: NO_PREVIOUS_KEY,
    });
    await rotateKey(db.prisma, owner, k.keyId, { grace: "24h", version: 0 });
    expect((await failure(revokePreviousKey(db.prisma, owner, k.keyId, 0)))?.code).toBe("CONFLICT");
    const admin = await createActor(db.prisma, "ADMIN", owner.merchantId);
    expect((await failure(revokePreviousKey(db.prisma, admin, k.keyId, await version(k.keyId))))?.code).toBe("FORBIDDEN");
    expect(await creds(k.keyId)).toHaveLength(2);
  });
});

describe("rotating a key with its own username and password", () => {
  const custom = (username: string) => input({ channel: "HTTP", credentialType: "custom", username, password: "Long-enough-pass-42" });
  const name = () => `own-${Math.random().toString(36).slice(2, 10)}`;

  it("takes new own credentials, masked like any typed password", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const k = await createKey(db.prisma, owner, custom(name()));
    const next = name();
    const rotated = await rotateKey(db.prisma, owner, k.keyId, {
      grace: "24h",
      version: 0,
      own: { username: next, password: "Another-long-pass-43" },
    });
    expect([rotated.accessKey, rotated.secret]).toEqual([next, "Another-long-pass-43"]);
    const [current] = await creds(k.keyId);
    expect([current.kind, current.accessKey, current.secretHint]).toEqual(["USER_CHOSEN", next, CUSTOM_SECRET_MASK]);
  });

  it("regenerate takes new own credentials too", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const k = await createKey(db.prisma, owner, custom(name()));
    const next = name();
    await regenerateKey(db.prisma, owner, k.keyId, { version: 0, own: { username: next, password: "Another-long-pass-43" } });
    const [current] = await creds(k.keyId);
    expect([current.kind, current.accessKey]).toEqual(["USER_CHOSEN", next]);
  });

  it("refuses the username the key still uses during its window; without new ones it becomes a generated pair", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const username = name();
    const k = await createKey(db.prisma, owner, custom(username));
    expect(
      (
        await failure(
          rotateKey(db.prisma, owner, k.keyId, { grace: "24h", version: 0, own: { username, password: "Another-long-pass-43" } }),
        )
      )?.code,
    ).toBe("USERNAME_TAKEN");
    await rotateKey(db.prisma, owner, k.keyId, { grace: "24h", version: 0 });
    expect((await creds(k.keyId))[0].kind).toBe("GENERATED");
  });
});

describe("Change credentials", () => {
  it("is mailed as a change of credentials that stopped the previous ones at once, not as a rotation", async () => {
    const { owner, mail } = await team();
    const k = await createKey(db.prisma, owner, input({ name: "Changed" }));
    await rotateKey(db.prisma, owner, k.keyId, { grace: "now", version: 0, purpose: "change-credentials" });
    expect(await mail("key-rotated")).toHaveLength(0);
    const sent = await mail("credentials-changed");
    expect(sent).toHaveLength(2);
    expect(sent[0].subject).toBe("[Keyport] Credentials changed: Changed (production)");
    expect(sent[0].props).toMatchObject({ keyName: "Changed", previousExpiresAt: null });
  });

  it("only ever at once: with a grace window the input is refused", () => {
    const input = { keyId: randomUUID(), version: 0, confirmed: true, purpose: "change-credentials" };
    expect(rotateKeySchema.safeParse({ ...input, grace: "24h" }).success).toBe(false);
    expect(rotateKeySchema.safeParse({ ...input, grace: "now" }).success).toBe(true);
  });
});
