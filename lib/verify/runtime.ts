import type { Db } from "@/lib/db/client";
import { KeyCache } from "./cache";
import { UsageRecorder } from "./usage";
import { createVerifyHandler } from "./handler";
import { BasicAuth } from "./basic-auth";
import { reportGuessing } from "./guessing";
import { KeyChangeFeed } from "./change-feed";
import { ChangeBroadcast } from "./change-broadcast";
import { clientAddress } from "@/lib/server/client-ip";
import { every } from "@/lib/server/every";
import { listenForKeyChanges } from "./change-listener";
import type { Queryable, SqlTarget } from "./sql";
import { counterOnScrape, gaugeOnScrape, metrics } from "@/lib/server/metrics";
import type { Outcome } from "./types";
import { errorMessage, logger } from "@/lib/core/log";
import { env } from "@/lib/env";
import { loadRecentlyUsed } from "./load";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** The verifier's metrics, when they are on: latency by outcome, cache hits and misses, feed lag, pool use. */
function verifyMetrics(changes: KeyChangeFeed, pool?: Queryable) {
  const m = metrics();
  if (!m) return {};
  const stats = { hits: 0, misses: 0 };
  counterOnScrape(m, "keyport_verify_cache_hits_total", "Verifications answered from the process's key cache.", () => stats.hits);
  counterOnScrape(m, "keyport_verify_cache_misses_total", "Verifications that had to read the key from the database.", () => stats.misses);
  gaugeOnScrape(
    m,
    "keyport_change_feed_lag_seconds",
    "How long the newest key change took to reach this process's cache.",
    () => changes.lagMs / 1000,
  );
  const p = pool as { totalCount?: number; idleCount?: number; waitingCount?: number } | undefined;
  if (p?.totalCount !== undefined)
    gaugeOnScrape(m, "keyport_db_pool_connections", "Database pool connections by state (in use, idle, waiting for one).", () => [
      [{ state: "in_use" }, (p.totalCount ?? 0) - (p.idleCount ?? 0)],
      [{ state: "idle" }, p.idleCount ?? 0],
      [{ state: "waiting" }, p.waitingCount ?? 0],
    ]);
  const children = new Map<Outcome, { observe(v: number): void }>();
  const observe = (outcome: Outcome, t0: number) => {
    let child = children.get(outcome);
    if (!child) children.set(outcome, (child = m.verifyDuration.labels(outcome)));
    child.observe((performance.now() - t0) / 1000);
  };
  return { stats, observe };
}

/**
 * One full garbage collection, before the process says ready. The preload leaves thousands of
 * cached entries in V8's young generation, and the first scavenges under traffic would copy them
 * to the old one: a pause of tens of milliseconds for the first requests after a restart. A full
 * collection here moves them while nothing waits. (The collector is exposed to a new context only.)
 */
function fullCollection() {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed();
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

export const FEED_POLL_MS = 250;
/** While LISTEN is up the poll is only a fallback: once a second. */
export const FEED_FALLBACK_MS = 1000;
export const USAGE_FLUSH_MS = 1000;
/** How far back a verifier's start looks for keys to preload. */
export const PRELOAD_SINCE_MS = 24 * 3600_000;

export interface VerifierRuntime {
  cache: KeyCache;
  usage: UsageRecorder;
  handle: ReturnType<typeof createVerifyHandler>;
  /** The SDK change streams' source: this process's feed, per merchant. */
  broadcast: ChangeBroadcast;
  /** Whether the change-feed listener is connected (true without one: the poll is all there is). */
  listening(): boolean;
  stop(): Promise<void>;
}

/** Runs `job` now, or once more right after the run in progress: never two at once, never lost. */
function coalesced(job: () => Promise<unknown>) {
  let running: Promise<void> | null = null;
  let again = false;
  return function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await job();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}

/**
 * The verifier's cache, counters and timers: one per process, started by the server. With the
 * database's URL it also LISTENs for changes, so a revocation reaches the cache at commit. With
 * `pool` (the pg pool behind Prisma), its own statements skip Prisma's client (see SqlTarget).
 */
export async function startVerifierRuntime(
  prisma: Db,
  opts: { databaseUrl?: string; pool?: Queryable; headers?: Record<string, string>; preloadKeys?: number } = {},
): Promise<VerifierRuntime> {
  const db: SqlTarget = opts.pool ?? prisma;
  const cache = new KeyCache();
  const usage = new UsageRecorder();
  // Every lifecycle write appends a key_changes row in its own transaction; each process applies
  // them to its cache every 250 ms, in commit order (see KeyChangeFeed).
  const changes = await KeyChangeFeed.start(db);
  const broadcast = new ChangeBroadcast(changes.cursor);
  let lastPoll = 0;
  const poll = coalesced(async () => {
    lastPoll = Date.now();
    await changes.poll(db, cache, (batch) => broadcast.publish(batch));
    broadcast.advance(changes.cursor);
  });
  const listener = opts.databaseUrl
    ? listenForKeyChanges(
        opts.databaseUrl,
        () => void poll().catch((err) => logger().error({ area: "verify feed", err: errorMessage(err) }, "change feed poll failed")),
      )
    : null;
  const feed = every(FEED_POLL_MS, "verify feed", async () => {
    if (listener?.connected && Date.now() - lastPoll < FEED_FALLBACK_MS) return;
    await poll();
  });
  let flushing: Promise<unknown> = Promise.resolve();
  const flush = setInterval(() => {
    flushing = flushing
      .then(() => usage.flush(db))
      .catch((err) => logger().error({ area: "verify", err: errorMessage(err) }, "usage flush failed"));
  }, USAGE_FLUSH_MS);
  flush.unref();
  // The keys used in the last day, most recent first, before this process says ready: a restart
  // under load answers its first traffic from memory instead of sending each key to the database.
  const preload = opts.preloadKeys ?? env().VERIFIER_PRELOAD_KEYS;
  if (preload > 0) {
    const t0 = performance.now();
    const added = await cache
      .preload(() => loadRecentlyUsed(db, new Date(Date.now() - PRELOAD_SINCE_MS), preload))
      .catch((err) => logger().warn({ area: "verify", err: errorMessage(err) }, "key preload failed; keys load on first use"));
    if (typeof added === "number" && added > 0) {
      const loaded = Math.round(performance.now() - t0);
      const t1 = performance.now();
      fullCollection();
      logger().info({ area: "verify", keys: added, ms: loaded, gcMs: Math.round(performance.now() - t1) }, "recently used keys preloaded");
    }
  }
  const basic = new BasicAuth({ cache, db: async () => db, report: (state) => reportGuessing(prisma, state) });
  const handle = createVerifyHandler({
    db: async () => db,
    cache,
    usage,
    clientIp: clientAddress,
    basic,
    headers: opts.headers,
    ...verifyMetrics(changes, opts.pool),
  });
  return {
    cache,
    usage,
    handle,
    broadcast,
    listening: () => !listener || listener.connected,
    async stop() {
      clearInterval(feed);
      clearInterval(flush);
      await listener?.stop();
      await flushing;
      await usage.flush(db); // counts of the last second survive a clean shutdown
      await basic.close();
    },
  };
}
