import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/lib/db/client";

const ctx = vi.hoisted(() => ({ db: null as unknown as Database }));
vi.mock("@/lib/db/client", async (orig) => ({ ...(await orig<typeof import("@/lib/db/client")>()), getDb: async () => ctx.db.prisma }));

import { createTestDatabase } from "@/lib/testing/db";
import { createActor, createKey } from "@/prisma/factories";
import type { Environment, KeyStatus } from "@/lib/keys/types";
import { rotateKey } from "@/lib/keys/services/rotate-key";
import { createToken } from "@/lib/tokens/service";
import { TOKEN_SCOPES, type TokenScope } from "@/lib/tokens/scopes";
import { generateToken } from "@/lib/tokens/format";
import type { Operation } from "./pipeline";
import * as ops from "./operations";
import { callApi } from "./testing";

beforeAll(async () => (ctx.db = await createTestDatabase()));
afterAll(async () => ctx.db?.close());

type Owner = Awaited<ReturnType<typeof createActor>>;
const db = () => ctx.db.prisma;
const tokenFor = async (owner: Owner, scopes: TokenScope[] = [...TOKEN_SCOPES]) =>
  (await createToken(db(), owner, { name: `T ${scopes.join(" ")}`.slice(0, 60), scopes, expiry: "30d" })).token;
const key = async (merchantId: string, status: KeyStatus = "ENABLED", environment: Environment = "production") =>
  (await createKey(db(), { merchantId, status, environment })).key;

/** Everything a request could change, hashed (token rows and the rate counters aside: any call writes its last use and its count). */
async function fingerprint(): Promise<string> {
  const tables = await db().$queryRaw<{ t: string }[]>`
    SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
      AND table_name NOT IN ('_prisma_migrations', 'management_tokens', 'rate_limits') ORDER BY 1`;
  const parts = tables.map(
    ({ t }) => `SELECT '${t}' AS t, md5(COALESCE(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${t}" x`,
  );
  const rows = await db().$queryRawUnsafe<{ t: string; h: string }[]>(parts.join(" UNION ALL "));
  return rows.map((r) => `${r.t}:${r.h}`).join(",");
}

/** A valid call of each operation, with a key in the state it needs. */
type Case = { keyId?: string; body?: unknown; query?: Record<string, string> };
async function caseFor(op: Operation, owner: Owner): Promise<Case> {
  const m = owner.merchantId;
  switch (op.operationId) {
    case "listKeys":
    case "listAuditEvents":
      return {};
    case "createKey":
      return { body: { name: "From CI", environment: "production", channel: "REST", permissions: ["payments:read"] } };
    case "reportLeaks":
      return { body: [{ token: "kp_test_notakeyportkey", url: "https://ci.example/job/1" }] };
    case "updateKey":
      return { keyId: (await key(m)).id, body: { name: "Renamed" } };
    case "setIpAllowList":
      return { keyId: (await key(m)).id, body: { ipAllowList: ["203.0.113.0/24"] } };
    case "enableKey":
    case "revokeKey":
      return { keyId: (await key(m, "DISABLED")).id, body: {} };
    case "rotateKey":
      return { keyId: (await key(m)).id, body: { grace: "PT24H" } };
    case "rollbackKey":
    case "extendGrace": {
      const k = await key(m);
      await rotateKey(db(), owner, k.id, { grace: "1h", version: k.version });
      return { keyId: k.id, body: op.operationId === "extendGrace" ? { until: new Date(Date.now() + 48 * 3600_000).toISOString() } : {} };
    }
    default:
      return { keyId: (await key(m)).id, body: op.method === "POST" ? {} : undefined };
  }
}

/** The scope each operation needs, written out by hand from the scope labels (not taken from scopeFor). */
const SCOPE_OF: Record<string, (typeof TOKEN_SCOPES)[number]> = {
  listKeys: "keys:read",
  getKey: "keys:read",
  createKey: "keys:write",
  updateKey: "keys:write",
  setIpAllowList: "keys:write",
  duplicateKey: "keys:write",
  disableKey: "keys:write",
  enableKey: "keys:write",
  rotateKey: "keys:rotate",
  regenerateKey: "keys:rotate",
  rollbackKey: "keys:rotate",
  extendGrace: "keys:rotate",
  revokeKey: "keys:delete",
  deleteKey: "keys:delete",
  listAuditEvents: "audit:read",
  reportLeaks: "keys:write",
};

describe("scopes × endpoints", () => {
  it("the table names every operation, and no other", () => {
    expect(Object.keys(SCOPE_OF).sort()).toEqual(ops.OPERATIONS.map((o) => o.operationId).sort());
  });

  for (const scope of TOKEN_SCOPES) {
    it(`a token with only ${scope}`, async () => {
      const owner = await createActor(db(), "OWNER");
      const token = await tokenFor(owner, [scope]);
      const failures: string[] = [];
      for (const op of ops.OPERATIONS) {
        const c = await caseFor(op, owner);
        const before = await fingerprint();
        const res = await callApi(op, { token, merchantId: owner.merchantId, ...c });
        if (SCOPE_OF[op.operationId] === scope) {
          if (res.status >= 300) failures.push(`${op.operationId} should work with ${scope}: ${res.status} ${JSON.stringify(res.body)}`);
        } else {
          if (res.status !== 403 || res.body.type !== "urn:keyport:problem:insufficient-scope")
            failures.push(`${op.operationId} should be refused with ${scope}: ${res.status}`);
          if ((await fingerprint()) !== before) failures.push(`${op.operationId} refused but wrote`);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});

describe("tenancy", () => {
  it("merchant A's token with merchant B's ids answers 404 and changes nothing", async () => {
    const a = await createActor(db(), "OWNER");
    const b = await createActor(db(), "OWNER");
    const token = await tokenFor(a);
    for (const op of ops.OPERATIONS) {
      const c = await caseFor(op, b);
      const before = await fingerprint();
      const onB = await callApi(op, { token, merchantId: b.merchantId, ...c });
      expect([op.operationId, onB.status, onB.body.type]).toEqual([op.operationId, 404, "urn:keyport:problem:not-found"]);
      if (c.keyId) {
        const onA = await callApi(op, { token, merchantId: a.merchantId, ...c });
        expect([op.operationId, onA.status, onA.body.type]).toEqual([op.operationId, 404, "urn:keyport:problem:not-found"]);
      }
      expect(await fingerprint(), op.operationId).toBe(before);
    }
  });
});

describe("problem+json: one stable type per refusal", () => {
  it("authentication: missing, malformed, unknown, revoked, creator demoted; cookies are ignored", async () => {
    const owner = await createActor(db(), "OWNER");
    const token = await tokenFor(owner);
    const m = owner.merchantId;
    const refused = async (o: Parameters<typeof callApi>[1]) => {
      const res = await callApi(ops.listKeysOp, o);
      expect(res.status).toBe(401);
      expect(res.body.type).toBe("urn:keyport:problem:invalid-token");
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    };
    await refused({ merchantId: m });
    await refused({ merchantId: m, headers: { cookie: "authjs.session-token=whatever", authorization: "" } });
    await refused({ merchantId: m, token: `${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}` });
    await refused({ merchantId: m, token: generateToken() });
    await refused({ merchantId: m, headers: { authorization: `Basic ${Buffer.from(`x:${token}`).toString("base64")}` } });
    await db().membership.updateMany({ where: { userId: owner.userId, merchantId: m }, data: { role: "ADMIN" } });
    await refused({ merchantId: m, token });
    await db().membership.updateMany({ where: { userId: owner.userId, merchantId: m }, data: { role: "OWNER" } });
    expect((await callApi(ops.listKeysOp, { merchantId: m, token })).status).toBe(200);
  });

  it("input and state refusals", async () => {
    const owner = await createActor(db(), "OWNER");
    const token = await tokenFor(owner);
    const m = owner.merchantId;
    const type = async (op: Operation, o: Partial<Parameters<typeof callApi>[1]>) => {
      const res = await callApi(op, { token, merchantId: m, ...o });
      return `${res.status} ${res.body?.type?.replace("urn:keyport:problem:", "")}`;
    };
    const enabled = await key(m);
    expect(await type(ops.getKeyOp, { keyId: "not-a-uuid" })).toBe("404 not-found");
    expect(await type(ops.createKeyOp, { body: { name: "" } })).toBe("422 validation");
    expect(
      await type(ops.createKeyOp, {
        body: { name: "x", environment: "production", channel: "REST", permissions: ["payments:read"], status: "REVOKED" },
      }),
    ).toBe("422 validation");
    expect(await type(ops.createKeyOp, { rawBody: "{", headers: { "content-type": "application/json" } })).toBe("400 malformed-request");
    expect(await type(ops.createKeyOp, { rawBody: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } })).toBe(
      "415 unsupported-media-type",
    );
    expect(await type(ops.updateKeyOp, { keyId: enabled.id, body: { permissions: ["refunds:write"] } })).toBe("422 validation");
    expect(await type(ops.revokeKeyOp, { keyId: enabled.id, body: {} })).toBe("409 invalid-transition");
    expect(await type(ops.disableKeyOp, { keyId: enabled.id, body: { version: enabled.version + 5 } })).toBe("409 conflict");
    expect(await type(ops.rotateKeyOp, { keyId: enabled.id, body: { grace: "PT2H" } })).toBe("422 validation");
    expect(await type(ops.rotateKeyOp, { keyId: enabled.id, body: { grace: "PT1H" } })).toBe("200 undefined");
    expect(await type(ops.rotateKeyOp, { keyId: enabled.id, body: { grace: "24h" } })).toBe("409 rotation-in-progress");
    const fresh = await key(m);
    expect(await type(ops.rollbackKeyOp, { keyId: fresh.id, body: {} })).toBe("409 rollback-unavailable");
    expect(await type(ops.extendGraceOp, { keyId: fresh.id, body: { until: new Date(Date.now() + 3600_000).toISOString() } })).toBe(
      "409 extend-unavailable",
    );
    expect(await type(ops.listKeysOp, { query: { cursor: "garbage" } })).toBe("422 validation");
    expect(await type(ops.listKeysOp, { query: { limit: "1000" } })).toBe("422 validation");
    expect(await type(ops.createKeyOp, { body: {}, headers: { "idempotency-key": "" } })).toBe("400 idempotency-key-invalid");
    expect(await type(ops.createKeyOp, { body: {}, headers: { "idempotency-key": "bad key with spaces" } })).toBe(
      "400 idempotency-key-invalid",
    );
  });
});

describe("the lifecycle through the API, with the token as the actor", () => {
  it("create, rotate 1 hour, rollback; the audit names the token; last used is recorded", async () => {
    const owner = await createActor(db(), "OWNER");
    const made = await createToken(db(), owner, {
      name: "Deploy bot",
      scopes: ["keys:write", "keys:rotate", "keys:read", "audit:read"],
      expiry: "never",
    });
    const m = owner.merchantId;
    const created = await callApi(ops.createKeyOp, {
      token: made.token,
      merchantId: m,
      body: { name: "Checkout", environment: "production", channel: "REST", permissions: ["payments:write"] },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^kp_live_/);
    const keyId = created.body.key.id;
    const rotated = await callApi(ops.rotateKeyOp, { token: made.token, merchantId: m, keyId, body: { grace: "PT1H" } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(new Date(rotated.body.previousExpiresAt).getTime() - Date.now()).toBeGreaterThan(3500_000);
    expect(rotated.body.key.credentials.map((c: { slot: string }) => c.slot).sort()).toEqual(["CURRENT", "PREVIOUS"]);
    const back = await callApi(ops.rollbackKeyOp, { token: made.token, merchantId: m, keyId, body: {} });
    expect(back.body.credentials).toHaveLength(1);
    expect(back.body.credentials[0].accessKey).toBe(created.body.accessKey);
    // Reads never leak a secret or a hash.
    const read = await callApi(ops.getKeyOp, { token: made.token, merchantId: m, keyId });
    expect(JSON.stringify(read.body)).not.toMatch(/secretHash|kp_live_[0-9A-Za-z]{38}/);
    const audit = await callApi(ops.listAuditEventsOp, { token: made.token, merchantId: m, query: { keyId } });
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(["key.rolled_back", "key.rotated", "key.created"]);
    for (const e of audit.body.data) expect(e.actor).toContain("“Deploy bot”");
    const row = await db().auditEvent.findFirstOrThrow({ where: { apiKeyId: keyId, action: "key.rotated" } });
    expect(row.actorId).toBe(owner.userId);
    await vi.waitFor(async () =>
      expect((await db().managementToken.findUniqueOrThrow({ where: { id: made.id } })).lastUsedAt).not.toBeNull(),
    );
  });

  it("lists with the grid's filters and a cursor", async () => {
    const owner = await createActor(db(), "OWNER");
    const token = await tokenFor(owner, ["keys:read"]);
    const m = owner.merchantId;
    for (let i = 0; i < 5; i++) await createKey(db(), { merchantId: m, name: `Pay ${i}`, environment: i % 2 ? "sandbox" : "production" });
    await createKey(db(), { merchantId: m, name: "Other", status: "DISABLED" });
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: { body: { data: { name: string }[]; nextCursor: string | null } } = await callApi(ops.listKeysOp, {
        token,
        merchantId: m,
        query: { q: "pay", limit: "2", ...(cursor ? { cursor } : {}) },
      });
      seen.push(...page.body.data.map((k) => k.name));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(["Pay 4", "Pay 3", "Pay 2", "Pay 1", "Pay 0"]);
    const sandbox = await callApi(ops.listKeysOp, { token, merchantId: m, query: { environment: "sandbox", q: "Pay" } });
    expect(sandbox.body.data.map((k: { name: string }) => k.name)).toEqual(["Pay 3", "Pay 1"]);
    const disabled = await callApi(ops.listKeysOp, { token, merchantId: m, query: { status: "DISABLED" } });
    expect(disabled.body.data.map((k: { name: string }) => k.name)).toEqual(["Other"]);
  });
});

describe("Idempotency-Key", () => {
  const body = (name: string) => ({ name, environment: "sandbox", channel: "REST", permissions: ["payments:read"] });
  const count = (merchantId: string, name: string) => db().apiKey.count({ where: { merchantId, name } });

  it("a repeat returns the first answer; the same key with another body is refused", async () => {
    const owner = await createActor(db(), "OWNER");
    const token = await tokenFor(owner);
    const m = owner.merchantId;
    const headers = { "idempotency-key": "create-1" };
    const first = await callApi(ops.createKeyOp, { token, merchantId: m, body: body("Once"), headers });
    const again = await callApi(ops.createKeyOp, { token, merchantId: m, body: body("Once"), headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await count(m, "Once")).toBe(1);
    const other = await callApi(ops.createKeyOp, { token, merchantId: m, body: body("Twice"), headers });
    expect([other.status, other.body.type]).toEqual([422, "urn:keyport:problem:idempotency-key-reused"]);
    expect(await count(m, "Twice")).toBe(0);
    // The stored answer holds the secret only encrypted.
    const stored = await db().idempotencyKey.findFirstOrThrow({ where: { key: "create-1" } });
    expect(stored.responseEnc).not.toContain(first.body.secret);
    // Another token's same key is its own.
    const other2 = await callApi(ops.createKeyOp, { token: await tokenFor(owner), merchantId: m, body: body("Once"), headers });
    expect(other2.body.secret).not.toBe(first.body.secret);
    expect(await count(m, "Once")).toBe(2);
  });

  it("two concurrent POSTs with the same key create one thing", async () => {
    const owner = await createActor(db(), "OWNER");
    const token = await tokenFor(owner);
    const m = owner.merchantId;
    const k = await key(m);
    const headers = { "idempotency-key": "race-1" };
    const rotations = await Promise.all(
      [1, 2, 3].map(() => callApi(ops.rotateKeyOp, { token, merchantId: m, keyId: k.id, body: { grace: "1h" }, headers })),
    );
    expect(rotations.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(rotations.map((r) => r.body.secret)).size).toBe(1);
    expect(await db().auditEvent.count({ where: { apiKeyId: k.id, action: "key.rotated" } })).toBe(1);
    const creates = await Promise.all(
      [1, 2].map(() => callApi(ops.createKeyOp, { token, merchantId: m, body: body("Raced"), headers: { "idempotency-key": "race-2" } })),
    );
    expect(creates.map((r) => r.status)).toEqual([201, 201]);
    expect(await count(m, "Raced")).toBe(1);
  });

  it("is kept for 24 hours: after that the same key is a new request, and old keys are forgotten", async () => {
    const owner = await createActor(db(), "OWNER");
    const token = await tokenFor(owner);
    const m = owner.merchantId;
    const first = await callApi(ops.createKeyOp, { token, merchantId: m, body: body("Daily"), headers: { "idempotency-key": "daily" } });
    await callApi(ops.createKeyOp, { token, merchantId: m, body: body("Other"), headers: { "idempotency-key": "other" } });
    await db().idempotencyKey.updateMany({
      where: { key: { in: ["daily", "other"] } },
      data: { createdAt: new Date(Date.now() - 25 * 3600_000) },
    });
    const next = await callApi(ops.createKeyOp, { token, merchantId: m, body: body("Daily"), headers: { "idempotency-key": "daily" } });
    expect(next.status).toBe(201);
    expect(next.body.key.id).not.toBe(first.body.key.id);
    expect(await count(m, "Daily")).toBe(2);
    expect(await db().idempotencyKey.count({ where: { key: "other" } })).toBe(0);
  });

  it("a refused request keeps no answer: sent again, it runs again", async () => {
    const owner = await createActor(db(), "OWNER");
    const token = await tokenFor(owner);
    const m = owner.merchantId;
    const k = await key(m, "ENABLED");
    const headers = { "idempotency-key": "enable-1" };
    expect((await callApi(ops.enableKeyOp, { token, merchantId: m, keyId: k.id, body: {}, headers })).status).toBe(409);
    await db().apiKey.update({ where: { id: k.id }, data: { status: "DISABLED" } });
    expect((await callApi(ops.enableKeyOp, { token, merchantId: m, keyId: k.id, body: {}, headers })).status).toBe(200);
  });
});

describe("rate limit", () => {
  it("per token: 429 with Retry-After and RateLimit-* headers once the limit is spent", async () => {
    process.env.KEYPORT_API_RATE_LIMIT = "3";
    try {
      const owner = await createActor(db(), "OWNER");
      const token = await tokenFor(owner, ["keys:read"]);
      const other = await tokenFor(owner, ["keys:read"]);
      const m = owner.merchantId;
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await callApi(ops.listKeysOp, { token, merchantId: m }));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
      expect(answers.map((a) => a.headers.get("ratelimit-remaining"))).toEqual(["2", "1", "0", "0"]);
      expect(answers[0].headers.get("ratelimit-limit")).toBe("3");
      const limited = answers[3];
      expect(limited.body.type).toBe("urn:keyport:problem:rate-limited");
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
      expect((await callApi(ops.listKeysOp, { token: other, merchantId: m })).status).toBe(200);
    } finally {
      delete process.env.KEYPORT_API_RATE_LIMIT;
    }
  });

  it("is shared by every process: a fresh copy of the module (another instance) continues the same count", async () => {
    process.env.KEYPORT_API_RATE_LIMIT = "3";
    try {
      const tokenId = `shared-${Date.now()}-${Math.random()}`;
      const first = await import("./rate-limit");
      expect((await first.takeRequest(tokenId)).allowed).toBe(true);
      expect((await first.takeRequest(tokenId)).allowed).toBe(true);
      vi.resetModules();
      const second = (await import("./rate-limit")) as typeof first;
      expect(second).not.toBe(first);
      const third = await second.takeRequest(tokenId);
      expect(third).toMatchObject({ allowed: true, headers: { "ratelimit-remaining": "0" } });
      expect((await second.takeRequest(tokenId)).allowed).toBe(false);
      expect((await first.takeRequest(tokenId)).allowed).toBe(false);
    } finally {
      delete process.env.KEYPORT_API_RATE_LIMIT;
    }
  });

  it("defaults to 600 a minute", async () => {
    const owner = await createActor(db(), "OWNER");
    const res = await callApi(ops.listKeysOp, { token: await tokenFor(owner, ["keys:read"]), merchantId: owner.merchantId });
    expect(res.headers.get("ratelimit-limit")).toBe("600");
  });
});

describe("one version rule at every door", () => {
  // Every operation that changes a key (duplicating reads its source, it does not change it).
  const CHANGES = ops.OPERATIONS.filter((o) => o.path.includes("{keyId}") && o.method !== "GET" && o.operationId !== "duplicateKey");

  it("names the nine changes of a key", () => {
    expect(CHANGES.map((o) => o.operationId).sort()).toEqual(
      [
        "deleteKey",
        "disableKey",
        "enableKey",
        "extendGrace",
        "regenerateKey",
        "revokeKey",
        "rollbackKey",
        "rotateKey",
        "setIpAllowList",
        "updateKey",
      ].sort(),
    );
  });

  for (const op of CHANGES)
    it(`${op.operationId}: a stale version is refused with 409 and writes nothing; without one, the change is made`, async () => {
      const owner = await createActor(db(), "OWNER");
      const token = await tokenFor(owner);
      const c = await caseFor(op, owner);
      const current = (await db().apiKey.findUniqueOrThrow({ where: { id: c.keyId! } })).version;
      const stale =
        op.method === "DELETE"
          ? { ...c, query: { version: String(current + 1) } }
          : { ...c, body: { ...(c.body as object), version: current + 1 } };
      const before = await fingerprint();
      const refused = await callApi(op, { token, merchantId: owner.merchantId, ...stale });
      expect([refused.status, refused.body.type]).toEqual([409, "urn:keyport:problem:conflict"]);
      expect(await fingerprint()).toBe(before);
      const made = await callApi(op, { token, merchantId: owner.merchantId, ...c });
      expect(made.status).toBeLessThan(300);
    });
});

describe("leak reports from the merchant's own scanners", () => {
  it("a live key of the merchant runs its exposure policy; another merchant's key is a false positive, left alone", async () => {
    const owner = await createActor(db(), "OWNER");
    const other = await createActor(db(), "OWNER");
    const token = await tokenFor(owner, ["keys:write"]);
    const mine = await createKey(db(), { merchantId: owner.merchantId });
    const theirs = await createKey(db(), { merchantId: other.merchantId });
    const res = await callApi(ops.reportLeaksOp, {
      token,
      merchantId: owner.merchantId,
      body: [
        { token: mine.secret, url: "https://ci.example/job/7", source: "gitleaks" },
        { token: theirs.secret, url: "https://ci.example/job/7", source: "gitleaks" },
      ],
    });
    expect(res.status).toBe(200);
    expect((res.body as unknown as { label: string }[]).map((a) => a.label)).toEqual(["true_positive", "false_positive"]);
    expect(await db().credential.count({ where: { apiKeyId: mine.key.id } })).toBe(2); // rotated, 24 h of grace
    expect(await db().credential.count({ where: { apiKeyId: theirs.key.id } })).toBe(1);
    expect((await db().apiKey.findUniqueOrThrow({ where: { id: theirs.key.id } })).exposedAt).toBeNull();
    const audit = await db().auditEvent.findFirstOrThrow({ where: { apiKeyId: mine.key.id, action: "key.exposed" } });
    expect(audit.after).toMatchObject({ url: "https://ci.example/job/7", source: "gitleaks" });
  });
});

describe("leak reports with an Idempotency-Key", () => {
  it("run in the request's transaction: a key whose policy fails is skipped alone, and the answer is stored", async () => {
    const owner = await createActor(db(), "OWNER");
    const token = await tokenFor(owner, ["keys:write"]);
    const a = await createKey(db(), { merchantId: owner.merchantId });
    const b = await createKey(db(), { merchantId: owner.merchantId });
    // Rotating `a` fails: its row is locked by another transaction (the rotation does not wait).
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = db().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM api_keys WHERE id = ${a.key.id}::uuid FOR NO KEY UPDATE`;
      locked();
      await held;
    });
    await isLocked;
    const call = () =>
      callApi(ops.reportLeaksOp, {
        token,
        merchantId: owner.merchantId,
        headers: { "idempotency-key": `leaks-${a.key.id}` },
        body: [
          { token: a.secret, url: "https://ci.example/job/9" },
          { token: b.secret, url: "https://ci.example/job/9" },
        ],
      });
    const res = await call();
    release();
    await holder;
    expect(res.status).toBe(200);
    expect((res.body as unknown as { label: string }[]).map((x) => x.label)).toEqual(["true_positive", "true_positive"]);
    expect(await db().credential.count({ where: { apiKeyId: a.key.id } })).toBe(1); // its policy failed, undone alone
    expect(await db().credential.count({ where: { apiKeyId: b.key.id } })).toBe(2); // rotated
    expect((await call()).headers.get("idempotent-replayed")).toBe("true");
  });
});
