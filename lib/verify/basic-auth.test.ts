import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes, scryptSync } from "node:crypto";
import { type Algorithm, hash } from "@node-rs/argon2";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createActor } from "@/prisma/factories";
import { createKeySchema } from "@/lib/keys/schema";
import { createKey } from "@/lib/keys/services/create-key";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { hashCustomSecret, parseCustomHash, verifyCustomSecret, type CustomHash } from "@/lib/keys/custom-credentials";
import { KeyCache } from "./cache";
import { UsageRecorder } from "./usage";
import { createVerifyHandler, VERIFY_PATH } from "./handler";
import { addressKey, BASIC_LIMITS, BasicAuth } from "./basic-auth";
import { GUESSING_REPORT, reportGuessing } from "./guessing";
import type { KeyState } from "./types";
import { HashPoolBusy, PasswordPool } from "./password-pool";

let db: Database;
const servers: Server[] = [];
const pools: PasswordPool[] = [];
const PASSWORD = "Long-enough-pass-42";

beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => {
  for (const s of servers) s.close();
  await Promise.all(pools.map((p) => p.close()));
  await db?.close();
});

/** A Basic-auth password pool that counts which hashes it was asked to check. */
class CountingPool extends PasswordPool {
  checked: CustomHash[] = [];
  override verify(hash: CustomHash, password: string) {
    this.checked.push(hash);
    return super.verify(hash, password);
  }
}

/**
 * A verifier of its own (its own cache and memory, as another process has); the client address
 * comes from x-test-ip. `namespace` names its shared counters: two verifiers with the same one
 * are two processes on one database, and a fresh namespace is a fresh world.
 */
async function verifier(opts: { pool?: CountingPool; namespace?: string; reports?: KeyState[] } = {}) {
  const pool = opts.pool ?? new CountingPool();
  pools.push(pool);
  const cache = new KeyCache();
  const basic = new BasicAuth({
    cache,
    db: async () => db.prisma,
    pool,
    namespace: opts.namespace ?? randomBytes(6).toString("hex"),
    report: async (state) => {
      opts.reports?.push(state);
      return reportGuessing(db.prisma, state);
    },
  });
  const usage = new UsageRecorder();
  const handle = createVerifyHandler({
    db: async () => db.prisma,
    cache,
    usage,
    basic,
    clientIp: (req) => String(req.headers["x-test-ip"] ?? "127.0.0.1"),
  });
  const server = createServer((req, res) => void handle(req, res));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${VERIFY_PATH}`;
  const verify = async (user: string, password: string, ip = "203.0.113.9") => {
    const res = await fetch(url, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`, "x-test-ip": ip },
    });
    return { status: res.status, retryAfter: res.headers.get("retry-after"), ...(await res.json()) };
  };
  return { verify, pool, cache, usage };
}

async function customKey(ipAllowList: string[] = []) {
  const owner = await createActor(db.prisma, "OWNER");
  const username = `basic-${randomBytes(4).toString("hex")}`;
  const k = await createKey(
    db.prisma,
    owner,
    createKeySchema.parse({
      name: "Basic",
      environment: "production",
      channel: "HTTP",
      permissions: ["payments:read"],
      credentialType: "custom",
      username,
      password: PASSWORD,
      ipAllowList,
    }),
  );
  return { username, ownerEmail: owner.email, ...k };
}

const GUESS = BASIC_LIMITS.perGuess.points;

describe("HTTP Basic guessing", () => {
  it("a stranger gets 10 evaluated guesses per window; only that address is refused, the key's other clients never notice", async () => {
    const { verify, pool } = await verifier();
    const k = await customKey();
    for (let i = 0; i < GUESS; i++) expect((await verify(k.username, `wrong-guess-${i}`, "198.51.100.7")).outcome).toBe("NOT_FOUND");
    const limited = await verify(k.username, "one-more-guess", "198.51.100.7");
    expect(limited).toMatchObject({ status: 200, valid: false, outcome: "RATE_LIMITED", keyId: null });
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    // Even the right password is not evaluated for that address: it is a stranger as far as anyone knows.
    expect((await verify(k.username, PASSWORD, "198.51.100.7")).outcome).toBe("RATE_LIMITED");
    expect(pool.checked).toHaveLength(GUESS);
    // The integration, from its own address, never noticed.
    expect((await verify(k.username, PASSWORD, "192.0.2.50")).outcome).toBe("VALID");
  });

  it("parallel guesses from one address cannot slip past the limit: it is counted before the hash", async () => {
    const { verify, pool } = await verifier();
    const k = await customKey();
    const guesses = Array.from({ length: 40 }, (_, i) => verify(k.username, `parallel-${i}`, "198.51.100.8"));
    const outcomes = (await Promise.all(guesses)).map((r) => r.outcome);
    expect(outcomes.filter((o) => o !== "RATE_LIMITED")).toHaveLength(GUESS);
    expect(pool.checked).toHaveLength(GUESS);
  });

  it("the limit is shared: a stranger alternating between two verifier processes still gets 10 evaluated guesses", async () => {
    const namespace = randomBytes(6).toString("hex");
    const [a, b] = [await verifier({ namespace }), await verifier({ namespace })];
    const k = await customKey();
    const outcomes: string[] = [];
    for (let i = 0; i < 2 * GUESS; i++) outcomes.push((await (i % 2 ? a : b).verify(k.username, `alt-${i}`, "198.51.100.9")).outcome);
    expect(outcomes.filter((o) => o === "NOT_FOUND")).toHaveLength(GUESS);
    expect(outcomes.slice(GUESS)).toEqual(Array(GUESS).fill("RATE_LIMITED"));
    expect(a.pool.checked.length + b.pool.checked.length).toBe(GUESS);
  });

  it("the same pair sent many times at once is checked once and counted once", async () => {
    const { verify, pool } = await verifier();
    const k = await customKey();
    const outcomes = (
      await Promise.all(Array.from({ length: 30 }, (_, i) => verify(k.username, "same-wrong-guess", `198.51.100.${i}`)))
    ).map((r) => r.outcome);
    expect(new Set(outcomes)).toEqual(new Set(["NOT_FOUND"]));
    expect(pool.checked).toHaveLength(1);
  });

  it("limits each client address across user names, and not other addresses", async () => {
    const { verify } = await verifier();
    const k = await customKey();
    for (let i = 0; i < BASIC_LIMITS.perAddress.points; i++) await verify(`spray-${i}`, "whatever-password", "192.0.2.7");
    expect((await verify(k.username, PASSWORD, "192.0.2.7")).outcome).toBe("RATE_LIMITED");
    expect((await verify(k.username, PASSWORD, "192.0.2.8")).outcome).toBe("VALID");
  });

  it("treats one IPv6 /64 as one address", () => {
    expect(addressKey("2001:db8:1:2::1")).toBe(addressKey("2001:db8:1:2:ffff::9"));
    expect(addressKey("2001:db8:1:3::1")).not.toBe(addressKey("2001:db8:1:2::1"));
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
  });

  it("an unknown user name costs one hash check and is limited exactly like a known one", async () => {
    const { verify, pool } = await verifier();
    const k = await customKey();
    const stored = await db.prisma.credential.findFirstOrThrow({ where: { apiKeyId: k.keyId }, select: { secretHash: true } });
    await verify(k.username, "wrong-known");
    await verify("nobody-by-this-name", "wrong-unknown");
    expect(pool.checked).toHaveLength(2);
    expect(pool.checked[0]).toEqual(parseCustomHash(stored.secretHash));
    // The dummy hash has the same algorithm and cost (m, t, p of the PHC string).
    const cost = (h: CustomHash) => (h.scheme === "argon2id" ? h.phc.split("$")[3] : null);
    expect(pool.checked[0].scheme).toBe("argon2id");
    expect(cost(pool.checked[1])).toBe(cost(pool.checked[0]));
    const outcomes: string[] = [];
    for (let i = 0; i <= GUESS; i++) outcomes.push((await verify("nobody-by-this-name", `w-${i}`, "198.51.100.10")).outcome);
    expect(outcomes.indexOf("RATE_LIMITED")).toBe(GUESS);
  });

  it("a merchant's own traffic never runs into the limit: a success gives its point back", async () => {
    const { verify, cache } = await verifier();
    const k = await customKey();
    for (let i = 0; i < GUESS * 2; i++) {
      cache.invalidateKey(k.keyId); // as the change feed or the TTL would: the next one is checked again
      expect((await verify(k.username, PASSWORD)).outcome).toBe("VALID");
    }
  });

  it("10,000 wrong guesses from 200 addresses, its own among them: the integration's address stays VALID, then in a fresh process too", async () => {
    const namespace = randomBytes(6).toString("hex");
    const home = "192.0.2.50";
    const { verify } = await verifier({ namespace });
    const k = await customKey();
    // The limiter is under test here, not the hash: the key's stored hash is made cheap (Argon2id
    // at 1 MiB, one pass, a millisecond), so 2,040 evaluated guesses are not 2,040 real-cost hashes.
    const cheap = await hash(PASSWORD, { algorithm: 2 as Algorithm.Argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
    await db.prisma.credential.updateMany({ where: { apiKeyId: k.keyId }, data: { secretHash: cheap } });
    expect((await verify(k.username, PASSWORD, home)).outcome).toBe("VALID");
    const flood = await verifier({ namespace, pool: new CountingPool(2, 64) });
    const addresses = [home, ...Array.from({ length: 199 }, (_, i) => `198.51.${100 + (i >> 8)}.${i & 255}`)];
    const tally: Record<string, number> = {};
    // 40 at a time: the password threads' queue (64) is not what this is about.
    for (let round = 0; round < 50; round++) {
      for (let at = 0; at < addresses.length; at += 40) {
        const batch = addresses.slice(at, at + 40);
        const answers = await Promise.all(batch.map((ip, i) => flood.verify(k.username, `flood-${round}-${at + i}`, ip)));
        for (const a of answers) tally[a.outcome ?? a.error] = (tally[a.outcome ?? a.error] ?? 0) + 1;
      }
    }
    expect(Object.values(tally).reduce((a, b) => a + b, 0)).toBe(10_000);
    // Each stranger address had 10 guesses evaluated, the home address its own lane's 50.
    expect(flood.pool.checked.length).toBe(199 * GUESS + 50);
    expect(new Set(flood.pool.checked.map((h) => (h.scheme === "argon2id" ? h.phc : h.scheme)))).toEqual(new Set([cheap]));
    expect(tally).toEqual({ NOT_FOUND: 199 * GUESS + 50, RATE_LIMITED: 10_000 - 199 * GUESS - 50 });
    expect((await flood.verify(k.username, PASSWORD, home)).outcome).toBe("VALID");
    // A restart: a fresh process (no cache, no memory of anything) on the same database.
    const fresh = await verifier({ namespace });
    expect((await fresh.verify(k.username, PASSWORD, home)).outcome).toBe("VALID");
    // While a stranger is still refused, there as everywhere.
    expect((await fresh.verify(k.username, "again", addresses[7])).outcome).toBe("RATE_LIMITED");
  }, 120_000);

  it("a neighbour in the integration's IPv6 /64 cannot lock it out: a known address is counted in a lane of its own", async () => {
    const { verify, cache } = await verifier();
    const k = await customKey();
    expect((await verify(k.username, PASSWORD, "2001:db8:5:6::10")).outcome).toBe("VALID");
    for (let i = 0; i <= GUESS; i++) await verify(k.username, `neighbour-${i}`, "2001:db8:5:6::666");
    expect((await verify(k.username, "neighbour-again", "2001:db8:5:6::667")).outcome).toBe("RATE_LIMITED");
    cache.invalidateKey(k.keyId); // its cached answer dropped: checked again
    expect((await verify(k.username, PASSWORD, "2001:db8:5:6::10")).outcome).toBe("VALID");
  });

  it("a key with an IP allow-list refuses an outside address before any hash, counting nothing", async () => {
    const { verify, pool } = await verifier();
    const k = await customKey(["192.0.2.0/28"]);
    const before = await db.prisma.rateLimit.count();
    for (let i = 0; i < 3 * GUESS; i++) {
      const r = await verify(k.username, `outside-${i}`, "198.51.100.77");
      expect(r).toMatchObject({ valid: false, outcome: "IP_NOT_ALLOWED", keyId: null, merchantId: null });
    }
    expect(pool.checked).toHaveLength(0);
    expect(await db.prisma.rateLimit.count()).toBe(before);
    expect(await db.prisma.guessingReport.count({ where: { apiKeyId: k.keyId } })).toBe(0);
    expect((await verify(k.username, PASSWORD, "192.0.2.3")).outcome).toBe("VALID");
  });

  it("guessing from many addresses is reported to the owners, at most once an hour, and never locks the key", async () => {
    const reports: KeyState[] = [];
    const { verify } = await verifier({ reports });
    const k = await customKey();
    const { failures, addresses } = GUESSING_REPORT;
    for (let i = 0; i < failures + 5; i++) await verify(k.username, `report-${i}`, `198.51.100.${i % (addresses + 2)}`);
    const report = await db.prisma.guessingReport.findUniqueOrThrow({ where: { credentialId: reports[0]?.credentialId ?? "" } });
    expect(report).toMatchObject({ apiKeyId: k.keyId, failures: failures + 5, addresses: addresses + 2 });
    expect(report.reportedAt).not.toBeNull();
    const guessed = { template: "key-guessed", props: { path: ["accessKey"], equals: k.username } };
    // The mail is written beside the guess's answer, not before it.
    await expect.poll(() => db.prisma.outboxMail.count({ where: guessed })).toBe(1);
    const [mail] = await db.prisma.outboxMail.findMany({ where: guessed });
    expect(mail.toAddress).toBe(k.ownerEmail);
    expect(mail.subject).toBe("[Keyport] Password guessing on API key Basic (production)");
    const props = mail.props as { failures: number; addresses: number };
    expect(props).toMatchObject({ keyName: "Basic", accessKey: k.username, environment: "production" });
    expect(props.failures).toBeGreaterThanOrEqual(failures);
    expect(props.addresses).toBeGreaterThanOrEqual(addresses);
    // More guessing within the hour: counted, not mailed again.
    for (let i = 0; i < failures; i++) await verify(k.username, `more-${i}`, `203.0.113.${i}`);
    expect(await db.prisma.outboxMail.count({ where: guessed })).toBe(1);
    expect((await db.prisma.guessingReport.findUniqueOrThrow({ where: { credentialId: report.credentialId } })).failures).toBe(
      2 * failures + 5,
    );
    expect((await verify(k.username, PASSWORD, "192.0.2.99")).outcome).toBe("VALID");
  });
});

describe("a wrong password for a known user name", () => {
  it("answers NOT_FOUND to the caller but counts as a failure of that key, repeats included", async () => {
    const { verify, usage } = await verifier();
    const k = await customKey();
    const wrong = await verify(k.username, "not-the-password-1");
    expect(wrong).toMatchObject({ valid: false, outcome: "NOT_FOUND", keyId: null });
    await verify(k.username, "not-the-password-1"); // the same pair again, answered from the cache
    expect((await verify(k.username, PASSWORD)).outcome).toBe("VALID");
    await verify("nobody-by-this-name", "not-the-password-1"); // no key to count it against
    await usage.flush(db.prisma);
    const buckets = await db.prisma.usageBucket.findMany({ where: { apiKeyId: k.keyId } });
    expect(buckets.reduce((n, b) => n + b.failure, 0)).toBe(2);
    expect(buckets.reduce((n, b) => n + b.success, 0)).toBe(1);
  });
});

describe("password checks run on their own threads", () => {
  it("agree with the portal's own check, and refuse more than the queue bound", async () => {
    const pool = new PasswordPool(1, 2);
    pools.push(pool);
    const stored = parseCustomHash(await hashCustomSecret(PASSWORD))!;
    expect(await pool.verify(stored, PASSWORD)).toBe(true);
    expect(await pool.verify(stored, "nope")).toBe(false);
    expect(stored.scheme).toBe("argon2id");
    const tampered = stored.scheme === "argon2id" ? stored.phc.replace(/\$[^$]+$/, "$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") : "";
    expect(await pool.verify({ scheme: "argon2id", phc: tampered }, PASSWORD)).toBe(false);
    // A user-chosen password stored before Argon2id (scrypt) still verifies, on the threads and in the portal.
    const salt = randomBytes(16);
    const legacy = `scrypt$16384$8$1$${salt.toString("base64url")}$${scryptSync(PASSWORD, salt, 32).toString("base64url")}`;
    expect(await pool.verify(parseCustomHash(legacy)!, PASSWORD)).toBe(true);
    expect(await pool.verify(parseCustomHash(legacy)!, "nope")).toBe(false);
    expect(await verifyCustomSecret(legacy, PASSWORD)).toBe(true);
    expect(await verifyCustomSecret(legacy, "nope")).toBe(false);
    expect(await pool.verify({ ...parseCustomHash(legacy)!, key: "" } as CustomHash, PASSWORD)).toBe(false);
    const flood = Array.from({ length: 5 }, () => pool.verify(stored, "nope").catch((e) => e));
    const results = await Promise.all(flood);
    expect(results.filter((r) => r instanceof HashPoolBusy).length).toBeGreaterThan(0);
  });

  it("32 concurrent guesses leave libuv's threads to the portal's sign-in hash", async () => {
    const pool = new PasswordPool(1, 64);
    pools.push(pool);
    const stored = parseCustomHash(await hashCustomSecret(PASSWORD))!;
    const signIn = await hashPassword("portal-password");
    let done = 0;
    const guesses = Array.from({ length: 32 }, () => pool.verify(stored, "guess").then(() => done++));
    expect(await verifyPassword(signIn, "portal-password")).toBe(true);
    // Ordering, not timing: the sign-in check did not queue behind the 32 guesses sent before it.
    expect(done).toBeLessThan(16);
    await Promise.all(guesses);
  });
});
