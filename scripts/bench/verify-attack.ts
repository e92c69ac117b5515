// npm run bench:verify-attack — figures for the verification API under attack, loopback only, on a
// fresh embedded PostgreSQL server:
//  1. Basic-auth guesses answered in 10 s by 32 concurrent clients (and the right password after),
//     then 10,000 wrong guesses from 200 addresses and the integration's right password from its
//     usual address, in the flooded verifier and in a fresh one (a restart);
//  2. time of a wrong password for an unknown vs a known user name (medians);
//  3. the portal's sign-in hash (Argon2) idle and under 32 concurrent Basic guesses, with the
//     verifier's password hash (Argon2id) on its worker thread vs on libuv's shared pool (the old way);
//  4. revocation delay when the disable's transaction commits after a later change was read;
//  5. a webhook receiver that trickles a 100 MB answer: what one delivery costs (time, bytes the
//     receiver got to send, RSS before and after).
// Loopback only, bounded: about a minute in all.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { startEmbeddedPostgres } from "@/lib/db/embedded-server";
import { openDatabase, type Db } from "@/lib/db/client";
import { createActor } from "@/prisma/factories";
import { createKeySchema } from "@/lib/keys/schema";
import { createKey } from "@/lib/keys/services/create-key";
import { changeKeyStatus } from "@/lib/keys/services/change-key-status";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { verifyCustomSecret, type CustomHash } from "@/lib/keys/custom-credentials";
import { KeyCache } from "@/lib/verify/cache";
import { UsageRecorder } from "@/lib/verify/usage";
import { createVerifyHandler, VERIFY_PATH } from "@/lib/verify/handler";
import { BasicAuth, type BASIC_LIMITS } from "@/lib/verify/basic-auth";
import { PasswordPool } from "@/lib/verify/password-pool";
import { KeyChangeFeed } from "@/lib/verify/change-feed";
import { FEED_POLL_MS, startVerifierRuntime } from "@/lib/verify/runtime";
import { every } from "@/lib/server/every";
import { postWebhook } from "@/lib/webhooks/http-post";
import { holdTransaction } from "@/lib/testing/held-transaction";

const dir = mkdtempSync(join(tmpdir(), "keyport-bench-attack-"));
const pgServer = await startEmbeddedPostgres({
  dataDir: join(dir, "postgres"),
  urlFile: join(dir, "postgres.json"),
  settings: { fsync: "off" },
});
const cleanup = async () => {
  await pgServer.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
};
process.on("unhandledRejection", async (err) => {
  console.error(err);
  await cleanup();
  process.exit(1);
});
const database = await openDatabase(pgServer.url);
const db = database.prisma;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** The old way: the password hash on libuv's shared pool. */
class LibuvScrypt extends PasswordPool {
  override verify(h: CustomHash, p: string) {
    return verifyCustomSecret(h.scheme === "argon2id" ? h.phc : `scrypt$${h.n}$${h.r}$${h.p}$${h.salt}$${h.key}`, p);
  }
}

/** A verifier on its own port; `x-bench-ip` stands for the client address so many can be simulated. */
async function verifier(opts: { pool?: PasswordPool; limits?: typeof BASIC_LIMITS; namespace?: string } = {}) {
  const cache = new KeyCache();
  const namespace = opts.namespace ?? randomBytes(6).toString("hex");
  const basic = new BasicAuth({ cache, db: async () => db, pool: opts.pool, limits: opts.limits, namespace });
  const clientIp = (req: IncomingMessage) => String(req.headers["x-bench-ip"] ?? "127.0.0.1");
  const handle = createVerifyHandler({ db: async () => db, cache, usage: new UsageRecorder(), basic, clientIp });
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${VERIFY_PATH}`;
  const post = async (body: object | null, headers: Record<string, string> = {}) =>
    (await (await fetch(url, { method: "POST", headers, body: body ? JSON.stringify(body) : "" })).json()).outcome as string;
  const basicAuth = (user: string, password: string, ip = "127.0.0.1") =>
    post(null, { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`, "x-bench-ip": ip });
  return { cache, post, basicAuth, close: () => (server.close(), basic.close()) };
}

const NO_LIMITS = {
  perGuess: { points: 1e6, duration: 60 },
  perAddress: { points: 1e6, duration: 60 },
  perKnownAddress: { points: 1e6, duration: 60 },
};
const owner = await createActor(db, "OWNER");
const PASSWORD = "Bench-basic-pass-42";
async function basicKey() {
  const username = `bench-${randomBytes(4).toString("hex")}`;
  await createKey(
    db,
    owner,
    createKeySchema.parse({
      name: "Bench basic",
      environment: "production",
      channel: "HTTP",
      permissions: ["payments:read"],
      credentialType: "custom",
      username,
      password: PASSWORD,
    }),
  );
  return username;
}
const restKey = () =>
  createKey(
    db,
    owner,
    createKeySchema.parse({ name: "Bench feed", environment: "production", channel: "REST", permissions: ["payments:read"] }),
  );

// 1. Guesses per 10 s: 32 concurrent clients from one address, then from a new address per guess.
for (const spread of [false, true]) {
  const v = await verifier();
  const user = await basicKey();
  const counts: Record<string, number> = {};
  const end = Date.now() + 10_000;
  let n = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (Date.now() < end) {
        const i = n++;
        const o = await v.basicAuth(user, `guess-${i}`, spread ? `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` : "127.0.0.1");
        counts[o] = (counts[o] ?? 0) + 1;
      }
    }),
  );
  const right = await v.basicAuth(user, PASSWORD, "192.0.2.1");
  console.log(
    `1. Basic guesses in 10 s (${spread ? "a new address each" : "one address"}): ${n} answered, ${counts.NOT_FOUND ?? 0} checked (NOT_FOUND), ${counts.RATE_LIMITED ?? 0} RATE_LIMITED; the right password afterwards (another address): ${right}`,
  );
  await v.close();
}
{
  const namespace = randomBytes(6).toString("hex");
  const v = await verifier({ namespace });
  const user = await basicKey();
  const home = "192.0.2.50";
  const before = await v.basicAuth(user, PASSWORD, home);
  const strangers = Array.from({ length: 199 }, (_, i) => `198.51.${100 + (i >> 8)}.${i & 255}`);
  const addresses = [home, ...strangers];
  const perAddress = new Map<string, number>();
  const counts: Record<string, number> = {};
  const t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let i = next++; i < 10_000; i = next++) {
        const ip = addresses[i % addresses.length];
        const o = await v.basicAuth(user, `flood-${i}`, ip);
        counts[o] = (counts[o] ?? 0) + 1;
        if (o === "NOT_FOUND") perAddress.set(ip, (perAddress.get(ip) ?? 0) + 1);
      }
    }),
  );
  const took = performance.now() - t;
  const during = await v.basicAuth(user, PASSWORD, home);
  await v.close();
  const fresh = await verifier({ namespace });
  const afterRestart = await fresh.basicAuth(user, PASSWORD, home);
  const strangerAfterRestart = await fresh.basicAuth(user, "one-more", strangers[0]);
  await fresh.close();
  const evaluated = strangers.map((ip) => perAddress.get(ip) ?? 0);
  console.log(
    `   10,000 wrong guesses from 200 addresses in ${(took / 1000).toFixed(1)} s: ${JSON.stringify(counts)}; evaluated per stranger address: max ${Math.max(...evaluated)}, min ${Math.min(...evaluated)}; at the integration's own address ${perAddress.get(home) ?? 0}`,
  );
  console.log(
    `   the integration's right password from its usual address: before ${before}, after the flood ${during}, from a fresh verifier (restart) ${afterRestart}; a stranger after the restart: ${strangerAfterRestart}`,
  );
}

// 2. Unknown vs known user name, limits out of the way (a new address per try).
{
  const v = await verifier({ limits: NO_LIMITS });
  const user = await basicKey();
  const time = async (name: string, i: number) => {
    const t = performance.now();
    await v.basicAuth(name, `timing-${i}`, `10.9.${i >> 8}.${i & 255}`);
    return performance.now() - t;
  };
  await time("warm-up", 0);
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 1; i <= 25; i++) {
    known.push(await time(user, i));
    unknown.push(await time(`nobody-${i}`, 100 + i));
  }
  console.log(`2. wrong password, median of 25: known user ${ms(median(known))}, unknown user ${ms(median(unknown))}`);
  await v.close();
}

// 3. The portal's sign-in hash while 32 Basic guesses are in flight.
{
  const stored = await hashPassword("portal-password");
  const signIn = async () => {
    const t = performance.now();
    await verifyPassword(stored, "portal-password");
    return performance.now() - t;
  };
  const idle: number[] = [];
  for (let i = 0; i < 10; i++) idle.push(await signIn());
  console.log(`3. sign-in hash idle: median ${ms(median(idle))}`);
  for (const [label, pool] of [
    ["worker thread", new PasswordPool()],
    ["libuv pool (before)", new LibuvScrypt()],
  ] as const) {
    const v = await verifier({ pool, limits: NO_LIMITS });
    const user = await basicKey();
    let stop = false;
    let i = 0;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const load = Array.from({ length: 32 }, async () => {
      while (!stop) await v.basicAuth(user, `load-${i++}`);
    });
    await new Promise((r) => setTimeout(r, 500));
    const busy: number[] = [];
    for (let k = 0; k < 10; k++) busy.push(await signIn());
    stop = true;
    await Promise.all(load);
    loop.disable();
    console.log(
      `   under 32 concurrent guesses, the password hash on ${label}: sign-in median ${ms(median(busy))}, max ${ms(Math.max(...busy))}; event-loop delay p99 ${ms(loop.percentile(99) / 1e6)}`,
    );
    await v.close();
  }
}

// 4. Revocation delay: a disable holding a lower id commits after a later change was read. The
// commit lands at a random point of the poll interval. Through the real runtime, through the feed
// polled every 250 ms without LISTEN, and through the old read (`id > last`) for comparison.
class IdFeed {
  constructor(private last = 0n) {}
  async poll(db: Db, cache: KeyCache) {
    const rows = await db.$queryRaw<
      { id: bigint; api_key_id: string }[]
    >`SELECT id, api_key_id FROM key_changes WHERE id > ${this.last} ORDER BY id LIMIT 1000`;
    for (const r of rows) cache.invalidateKey(r.api_key_id);
    if (rows.length) this.last = BigInt(rows[rows.length - 1].id);
  }
}
async function serve(handle: (q: IncomingMessage, r: import("node:http").ServerResponse) => void) {
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${VERIFY_PATH}`;
  const post = async (body: object) => (await (await fetch(url, { method: "POST", body: JSON.stringify(body) })).json()).outcome as string;
  return { post, server };
}
for (const [label, rounds, cap] of [
  ["the verifier runtime (LISTEN + commit-order feed)", 10, 65_000],
  ["commit-order feed alone, polled", 10, 65_000],
  ["id > last (before), polled", 2, 5_000],
] as const) {
  let v: Awaited<ReturnType<typeof serve>>;
  let stop: () => Promise<unknown>;
  if (label.startsWith("the verifier")) {
    const runtime = await startVerifierRuntime(db, { databaseUrl: pgServer.url });
    v = await serve(runtime.handle);
    stop = () => runtime.stop();
  } else {
    const cache = new KeyCache();
    v = await serve(createVerifyHandler({ db: async () => db, cache, usage: new UsageRecorder(), clientIp: () => "127.0.0.1" }));
    const feed = label.startsWith("commit")
      ? await KeyChangeFeed.start(db)
      : new IdFeed((await db.keyChange.aggregate({ _max: { id: true } }))._max.id ?? 0n);
    const timer = every(FEED_POLL_MS, "bench feed", () => feed.poll(db, cache));
    stop = async () => clearInterval(timer);
  }
  const delays: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const early = await restKey();
    const late = await restKey();
    await new Promise((r) => setTimeout(r, 3 * FEED_POLL_MS)); // their "created" rows are applied
    await Promise.all([v.post({ key: early.secret }), v.post({ key: late.secret })]); // now cached
    const slow = await holdTransaction(db, (tx) => changeKeyStatus(tx, owner, early.keyId, "disable"), 60_000);
    await changeKeyStatus(db, owner, late.keyId, "disable");
    while ((await v.post({ key: late.secret })) !== "DISABLED") await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, Math.random() * FEED_POLL_MS));
    const t = performance.now();
    await slow.commit();
    while ((await v.post({ key: early.secret })) !== "DISABLED" && performance.now() - t < cap) await new Promise((r) => setTimeout(r, 5));
    delays.push(performance.now() - t);
  }
  await stop();
  v.server.close();
  const stale = delays.filter((d) => d >= cap).length;
  console.log(
    `4. revocation delay after the late commit, ${label}, ${rounds} rounds: median ${ms(median(delays))}, max ${ms(Math.max(...delays))}${stale ? `; ${stale} still VALID after ${cap / 1000} s` : ""}`,
  );
}

// 5. A receiver that answers 200 and then trickles 100 MB, 16 kB every 5 ms once its buffers drain.
{
  let written = 0;
  let closed = false;
  const receiver = createServer((_req, res) => {
    res.writeHead(200, { "content-length": String(100 * 1024 * 1024) });
    const chunk = Buffer.alloc(16 * 1024, "z");
    const pump = () => {
      while (!closed && written < 100 * 1024 * 1024) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", () => setTimeout(pump, 5));
      }
    };
    res.on("close", () => (closed = true));
    pump();
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const t = performance.now();
  const r = await postWebhook(url, {}, "{}", { production: false, allowLoopback: true });
  const took = performance.now() - t;
  const rssAfter = process.memoryUsage().rss;
  receiver.close();
  console.log(
    `5. a receiver trickling 100 MB: the delivery ended in ${ms(took)} with HTTP ${r.statusCode}, ${r.body.length} bytes kept; the receiver got ${(written / 1024).toFixed(0)} kB of its 100 MB into its socket before it was closed; RSS ${(rssBefore / 1048576).toFixed(0)} MB before, ${(rssAfter / 1048576).toFixed(0)} MB after`,
  );
}

await database.close();
await cleanup();
