// GitHub's secret scanning partner endpoint, against a local key server with a test key pair
// (nothing goes to the network): signatures, labels, the exposure policies, replays and batches.
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/lib/db/client";

const ctx = vi.hoisted(() => ({ db: null as unknown as Database }));
vi.mock("@/lib/db/client", async (orig) => ({ ...(await orig<typeof import("@/lib/db/client")>()), getDb: async () => ctx.db.prisma }));

import { createTestDatabase } from "@/lib/testing/db";
import { createActor, createKey } from "@/prisma/factories";
import { GithubKeys } from "./github-keys";
import { githubSecretScanning } from "./github-endpoint";
import { exposurePolicy, exposurePolicySchema, setExposurePolicy } from "./policy";
import { handleLeakReports, portalReporter } from "./report";
import { portalLeakReportSchema } from "./schema";

const pair = () => generateKeyPairSync("ec", { namedCurve: "prime256v1" });
let published: { id: string; key: KeyObject }[] = [];
let keyServer: Server;
let keysUrl: string;

beforeAll(async () => {
  ctx.db = await createTestDatabase();
  keyServer = createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        public_keys: published.map((p, i) => ({
          key_identifier: p.id,
          key: p.key.export({ type: "spki", format: "pem" }),
          is_current: i === 0,
        })),
      }),
    );
  });
  await new Promise<void>((r) => keyServer.listen(0, "127.0.0.1", r));
  keysUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/meta/public_keys/secret_scanning`;
});
afterAll(async () => {
  keyServer?.close();
  await ctx.db?.close();
});

const github = pair();
const GITHUB_ID = "90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a";
const post = (body: string, opts: { id?: string; key?: KeyObject; tamper?: boolean } = {}) => {
  const sig = sign("sha256", Buffer.from(body), { key: opts.key ?? github.privateKey, dsaEncoding: "der" }).toString("base64");
  const sent = opts.tamper ? body.replace("content", "c0ntent") : body;
  return new Request("http://keyport.test/api/v1/secret-scanning/github", {
    method: "POST",
    body: sent,
    headers: {
      "content-type": "application/json",
      "github-public-key-identifier": opts.id ?? GITHUB_ID,
      "github-public-key-signature": sig,
    },
  });
};
const report = (tokens: string[], url = "https://github.com/acme/shop/blob/main/.env") =>
  JSON.stringify(tokens.map((token) => ({ token, type: "keyport_api_key", url, source: "content" })));
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const auditRows = (keyId: string, action = "key.exposed") => ctx.db.prisma.auditEvent.count({ where: { apiKeyId: keyId, action } });

describe("POST /api/v1/secret-scanning/github", () => {
  it("signed by GitHub's key: 200, true_positive by the token's hash, and the default policy (rotate, 24 hours) applied", async () => {
    published = [{ id: GITHUB_ID, key: github.publicKey }];
    const keys = new GithubKeys(keysUrl);
    const owner = await createActor(ctx.db.prisma, "OWNER");
    const { key, secret } = await createKey(ctx.db.prisma, { merchantId: owner.merchantId, environment: "production" });
    const before = Date.now();
    const res = await githubSecretScanning(post(report([secret, "kp_live_notakey"])), keys);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { token_hash: sha256(secret), token_type: "keyport_api_key", label: "true_positive" },
      { token_hash: sha256("kp_live_notakey"), token_type: "keyport_api_key", label: "false_positive" },
    ]);
    const creds = await ctx.db.prisma.credential.findMany({
      where: { apiKeyId: key.id },
      orderBy: { slot: "asc" },
      omit: { secretHash: false },
    });
    expect(creds.map((c) => c.slot)).toEqual(["CURRENT", "PREVIOUS"]);
    const previous = creds.find((c) => c.slot === "PREVIOUS")!;
    expect(previous.secretHash).toBe(sha256(secret)); // the leaked secret keeps working for the grace window…
    expect(previous.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 24 * 3600_000); // …of 24 hours
    const after = await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect([after.exposedUrl, after.exposedAt !== null]).toEqual(["https://github.com/acme/shop/blob/main/.env", true]);
    const audit = await ctx.db.prisma.auditEvent.findFirstOrThrow({ where: { apiKeyId: key.id, action: "key.exposed" } });
    expect(audit.actorEmail).toBe("GitHub secret scanning");
    expect(audit.after).toMatchObject({ url: "https://github.com/acme/shop/blob/main/.env", source: "content", policy: "ROTATE" });
    expect(await auditRows(key.id, "key.rotated")).toBe(1);
    const mail = await ctx.db.prisma.outboxMail.findMany({ where: { template: "key-exposed", toAddress: owner.email } });
    expect(mail).toHaveLength(1);
    expect(JSON.stringify(await ctx.db.prisma.exposureReport.findMany({ where: { apiKeyId: key.id } }))).not.toContain(secret);
  });

  it("a tampered byte, a foreign key or no signature: 401, and nothing changes", async () => {
    published = [{ id: GITHUB_ID, key: github.publicKey }];
    const keys = new GithubKeys(keysUrl);
    const owner = await createActor(ctx.db.prisma, "OWNER");
    const { key, secret } = await createKey(ctx.db.prisma, { merchantId: owner.merchantId });
    const stranger = pair();
    for (const req of [
      post(report([secret]), { tamper: true }),
      post(report([secret]), { key: stranger.privateKey }),
      new Request("http://keyport.test/x", { method: "POST", body: report([secret]) }),
    ]) {
      const res = await githubSecretScanning(req, keys);
      expect(res.status).toBe(401);
    }
    expect(await auditRows(key.id)).toBe(0);
    expect(await ctx.db.prisma.credential.count({ where: { apiKeyId: key.id } })).toBe(1);
    expect(await ctx.db.prisma.exposureReport.count({ where: { apiKeyId: key.id } })).toBe(0);
  });

  it("an unknown key identifier refreshes the keys once: a new GitHub key is then accepted, an unknown one is 401", async () => {
    let t = 0;
    published = [{ id: GITHUB_ID, key: github.publicKey }];
    const keys = new GithubKeys(keysUrl, { now: () => t });
    const owner = await createActor(ctx.db.prisma, "OWNER");
    const { secret } = await createKey(ctx.db.prisma, { merchantId: owner.merchantId });
    expect((await githubSecretScanning(post(report([secret], "https://gist.github.com/1")), keys)).status).toBe(200);
    expect(keys.fetches).toBe(1);
    // GitHub rotates its key: the new identifier is fetched once, then accepted.
    const next = pair();
    published = [{ id: "next", key: next.publicKey }, ...published];
    t += 120_000;
    expect(
      (await githubSecretScanning(post(report([secret], "https://gist.github.com/2"), { id: "next", key: next.privateKey }), keys)).status,
    ).toBe(200);
    expect(keys.fetches).toBe(2);
    // A made-up identifier: one more fetch after a minute, then 401; within the minute, no fetch at all.
    t += 120_000;
    expect((await githubSecretScanning(post(report([secret]), { id: "made-up" }), keys)).status).toBe(401);
    expect(keys.fetches).toBe(3);
    expect((await githubSecretScanning(post(report([secret]), { id: "made-up-2" }), keys)).status).toBe(401);
    expect(keys.fetches).toBe(3);
  });

  it("a replayed report acts once and writes one audit row", async () => {
    published = [{ id: GITHUB_ID, key: github.publicKey }];
    const keys = new GithubKeys(keysUrl);
    const owner = await createActor(ctx.db.prisma, "OWNER");
    const { key, secret } = await createKey(ctx.db.prisma, { merchantId: owner.merchantId });
    const body = report([secret], "https://github.com/acme/replay");
    for (let i = 0; i < 3; i++) expect((await githubSecretScanning(post(body), keys)).status).toBe(200);
    expect(await auditRows(key.id)).toBe(1);
    expect(await auditRows(key.id, "key.rotated")).toBe(1);
    expect(await ctx.db.prisma.exposureReport.count({ where: { apiKeyId: key.id } })).toBe(1);
  });

  it("Revoke now revokes the key; Alert only changes nothing but the badge; a dead key is a false positive", async () => {
    published = [{ id: GITHUB_ID, key: github.publicKey }];
    const keys = new GithubKeys(keysUrl);
    const owner = await createActor(ctx.db.prisma, "OWNER");
    const m = owner.merchantId;
    await ctx.db.prisma.exposurePolicy.createMany({
      data: [
        { merchantId: m, environment: "production", action: "REVOKE" },
        { merchantId: m, environment: "sandbox", action: "ALERT" },
      ],
    });
    const live = await createKey(ctx.db.prisma, { merchantId: m, environment: "production" });
    const sandbox = await createKey(ctx.db.prisma, { merchantId: m, environment: "sandbox" });
    const dead = await createKey(ctx.db.prisma, { merchantId: m, status: "REVOKED" });
    const res = await githubSecretScanning(post(report([live.secret, sandbox.secret, dead.secret])), keys);
    expect((await res.json()).map((a: { label: string }) => a.label)).toEqual(["true_positive", "true_positive", "false_positive"]);
    const status = async (id: string) => (await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { id } })).status;
    expect(await status(live.key.id)).toBe("REVOKED");
    expect(await status(sandbox.key.id)).toBe("ENABLED");
    expect(await ctx.db.prisma.credential.count({ where: { apiKeyId: sandbox.key.id } })).toBe(1);
    expect((await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { id: sandbox.key.id } })).exposedAt).not.toBeNull();
    expect(await auditRows(dead.key.id)).toBe(0);
  });

  it("a batch of 100 tokens, live and dead mixed: one answer each, in order", async () => {
    published = [{ id: GITHUB_ID, key: github.publicKey }];
    const keys = new GithubKeys(keysUrl);
    const owner = await createActor(ctx.db.prisma, "OWNER");
    await ctx.db.prisma.exposurePolicy.create({ data: { merchantId: owner.merchantId, environment: "sandbox", action: "ALERT" } });
    const secrets: string[] = [];
    for (let i = 0; i < 10; i++) secrets.push((await createKey(ctx.db.prisma, { merchantId: owner.merchantId })).secret);
    const tokens = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? secrets[i / 10] : `kp_test_unknown${i}`));
    const started = performance.now();
    const res = await githubSecretScanning(post(report(tokens, "https://github.com/acme/batch")), keys);
    const ms = performance.now() - started;
    const answers = (await res.json()) as { token_hash: string; label: string }[];
    expect(answers.map((a) => a.token_hash)).toEqual(tokens.map(sha256));
    expect(answers.filter((a) => a.label === "true_positive")).toHaveLength(10);
    console.log(`100 tokens (10 live) answered in ${ms.toFixed(0)} ms`);
  });
});

describe("the exposure policy", () => {
  it("is rotate with 24 hours until an owner sets one per environment; the audit keeps before and after", async () => {
    const owner = await createActor(ctx.db.prisma, "OWNER");
    expect(await exposurePolicy(ctx.db.prisma, owner.merchantId, "production")).toEqual({ action: "ROTATE", graceHours: 24 });
    await setExposurePolicy(ctx.db.prisma, owner, { environment: "production", action: "ROTATE", graceHours: 72 });
    expect(await exposurePolicy(ctx.db.prisma, owner.merchantId, "production")).toEqual({ action: "ROTATE", graceHours: 72 });
    expect(await exposurePolicy(ctx.db.prisma, owner.merchantId, "sandbox")).toEqual({ action: "ROTATE", graceHours: 24 });
    const audit = await ctx.db.prisma.auditEvent.findFirstOrThrow({
      where: { merchantId: owner.merchantId, action: "exposure_policy.updated" },
    });
    expect([audit.before, audit.after]).toEqual([
      { environment: "production", action: "ROTATE", graceHours: 24 },
      { environment: "production", action: "ROTATE", graceHours: 72 },
    ]);
    const admin = await createActor(ctx.db.prisma, "ADMIN", owner.merchantId);
    await expect(setExposurePolicy(ctx.db.prisma, admin, { environment: "sandbox", action: "ALERT", graceHours: 24 })).rejects.toThrow();
    const base = { environment: "sandbox", action: "ROTATE", confirmed: true };
    expect(exposurePolicySchema.safeParse({ ...base, graceHours: 24 }).success).toBe(true);
    for (const graceHours of [0, 2, 5000, 1.5])
      expect(exposurePolicySchema.safeParse({ ...base, graceHours }).success, String(graceHours)).toBe(false);
  });
});

describe("'Report a leaked key' in the portal", () => {
  it("runs the same flow for the merchant's own key, names the member in the audit and the mail; another merchant's key is left alone", async () => {
    const owner = await createActor(ctx.db.prisma, "OWNER");
    const stranger = await createActor(ctx.db.prisma, "OWNER");
    await ctx.db.prisma.exposurePolicy.create({ data: { merchantId: owner.merchantId, environment: "sandbox", action: "REVOKE" } });
    const mine = await createKey(ctx.db.prisma, { merchantId: owner.merchantId });
    const theirs = await createKey(ctx.db.prisma, { merchantId: stranger.merchantId });
    const reporter = portalReporter("dev@acme.test");
    const report = (token: string) =>
      handleLeakReports(
        ctx.db.prisma,
        [{ token, url: "https://chat.example/msg/1", source: "portal" }],
        reporter,
        new Date(),
        owner.merchantId,
      );
    expect((await report(mine.secret))[0].label).toBe("true_positive");
    expect((await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { id: mine.key.id } })).status).toBe("REVOKED");
    const audit = await ctx.db.prisma.auditEvent.findFirstOrThrow({ where: { apiKeyId: mine.key.id, action: "key.exposed" } });
    expect(audit.after).toMatchObject({
      url: "https://chat.example/msg/1",
      source: "portal",
      reportedBy: "dev@acme.test",
      policy: "REVOKE",
    });
    const mail = await ctx.db.prisma.outboxMail.findFirstOrThrow({
      where: { template: "key-exposed", props: { path: ["keyName"], equals: mine.key.name } },
    });
    expect((mail.props as { reporter: string }).reporter).toBe("dev@acme.test (Leak report (portal))");
    // Another merchant's live key: answered like an unknown one, and untouched.
    expect((await report(theirs.secret))[0].label).toBe("false_positive");
    const untouched = await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { id: theirs.key.id } });
    expect([untouched.status, untouched.exposedAt]).toEqual(["ENABLED", null]);
  });

  it("the form refuses what is not a Keyport secret key, and an address that is not one, with words", () => {
    const ok = portalLeakReportSchema.safeParse({ secret: ` ${"kp_live_".padEnd(46, "a")} `, url: "" });
    expect(ok.success).toBe(true);
    for (const [input, field] of [
      [{ secret: "", url: "" }, "secret"],
      [{ secret: "kp_live_short", url: "" }, "secret"],
      [{ secret: "sk_live_".padEnd(46, "a"), url: "" }, "secret"],
      [{ secret: "kp_live_".padEnd(46, "a"), url: "javascript:alert(1)" }, "url"],
      [{ secret: "kp_live_".padEnd(46, "a"), url: "", extra: 1 }, ""],
    ] as const) {
      const res = portalLeakReportSchema.safeParse(input);
      expect(res.success, JSON.stringify(input)).toBe(false);
      expect(res.error?.issues[0].path.join(".")).toBe(field);
    }
  });
});
