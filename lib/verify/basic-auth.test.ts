import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes, scryptSync } from "node:crypto";
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

/** A verifier of its own (fresh limits and cache); the client address comes from x-test-ip. */
async function verifier(pool = new CountingPool()) {
  pools.push(pool);
  const cache = new KeyCache();
  const basic = new BasicAuth(cache, pool);
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

async function customKey() {
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
    }),
  );
  return { username, ...k };
}

describe("HTTP Basic guessing", () => {
  it("after the per-credential limit of wrong guesses even the right password answers RATE_LIMITED", async () => {
    const { verify } = await verifier();
    const k = await customKey();
    const n = BASIC_LIMITS.perCredential.points;
    for (let i = 0; i < n; i++) expect((await verify(k.username, `wrong-guess-${i}`, `198.51.100.${i}`)).outcome).toBe("NOT_FOUND");
    const limited = await verify(k.username, PASSWORD, "198.51.100.200");
    expect(limited).toMatchObject({ status: 200, valid: false, outcome: "RATE_LIMITED", keyId: null });
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
  });

  it("parallel guesses cannot slip past the limit: it is counted before the hash", async () => {
    const { verify, pool } = await verifier();
    const k = await customKey();
    const guesses = Array.from({ length: 40 }, (_, i) => verify(k.username, i === 39 ? PASSWORD : `parallel-${i}`, `198.51.100.${i}`));
    const outcomes = (await Promise.all(guesses)).map((r) => r.outcome);
    expect(outcomes.filter((o) => o !== "RATE_LIMITED")).toHaveLength(BASIC_LIMITS.perCredential.points);
    expect(pool.checked).toHaveLength(BASIC_LIMITS.perCredential.points);
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
    for (let i = 0; i < BASIC_LIMITS.perCredential.points; i++)
      outcomes.push((await verify("nobody-by-this-name", `w-${i}`, `198.51.100.${i}`)).outcome);
    expect(outcomes.indexOf("RATE_LIMITED")).toBe(BASIC_LIMITS.perCredential.points - 1);
  });

  it("a merchant's own traffic never runs into the limit: a success gives its point back", async () => {
    const { verify, cache } = await verifier();
    const k = await customKey();
    for (let i = 0; i < BASIC_LIMITS.perCredential.points * 2; i++) {
      cache.invalidateKey(k.keyId); // as the change feed or the TTL would: the next one is checked again
      expect((await verify(k.username, PASSWORD)).outcome).toBe("VALID");
    }
  });

  it("guesses aimed at a name do not lock out its own integration, which was right before", async () => {
    const { verify, cache } = await verifier();
    const k = await customKey();
    expect((await verify(k.username, PASSWORD, "192.0.2.50")).outcome).toBe("VALID");
    for (let i = 0; i < BASIC_LIMITS.perCredential.points + 2; i++) await verify(k.username, `attack-${i}`, `198.51.100.${i}`);
    expect((await verify(k.username, "attack-new", "198.51.100.99")).outcome).toBe("RATE_LIMITED");
    cache.invalidateKey(k.keyId); // its cache entry is dropped (a change, or its TTL): checked again
    expect((await verify(k.username, PASSWORD, "192.0.2.50")).outcome).toBe("VALID");
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
