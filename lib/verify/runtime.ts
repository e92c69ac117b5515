import type { Db } from "@/lib/db/client";
import { KeyCache } from "./cache";
import { UsageRecorder } from "./usage";
import { createVerifyHandler } from "./handler";
import { BasicAuth } from "./basic-auth";
import { clientAddress } from "@/lib/server/client-ip";
import { every } from "@/lib/server/every";

export const FEED_POLL_MS = 250;
export const USAGE_FLUSH_MS = 1000;

/**
 * Applies the key-change feed to the cache: every lifecycle write appends a row in its own
 * transaction, and each process reads rows past the last id it applied, every 250 ms.
 */
export async function pollKeyChanges(db: Db, cache: KeyCache, after: bigint): Promise<bigint> {
  const rows = await db.$queryRaw<{ id: bigint; api_key_id: string }[]>`
    SELECT id, api_key_id FROM key_changes WHERE id > ${after} ORDER BY id LIMIT 1000`;
  for (const r of rows) cache.invalidateKey(r.api_key_id);
  return rows.length ? BigInt(rows[rows.length - 1].id) : after;
}

export interface VerifierRuntime {
  cache: KeyCache;
  usage: UsageRecorder;
  handle: ReturnType<typeof createVerifyHandler>;
  stop(): Promise<void>;
}

/** The verifier's cache, counters and timers: one per process, started by the server. */
export async function startVerifierRuntime(db: Db): Promise<VerifierRuntime> {
  const cache = new KeyCache();
  const usage = new UsageRecorder();
  const [{ max }] = await db.$queryRaw<{ max: bigint | null }[]>`SELECT MAX(id) AS max FROM key_changes`;
  let last = max ?? 0n;
  const feed = every(FEED_POLL_MS, "verify feed", async () => {
    last = await pollKeyChanges(db, cache, last);
  });
  let flushing: Promise<unknown> = Promise.resolve();
  const flush = setInterval(() => {
    flushing = flushing.then(() => usage.flush(db)).catch((err) => console.error("[verify] usage flush:", err instanceof Error ? err.message : err));
  }, USAGE_FLUSH_MS);
  flush.unref();
  const basic = new BasicAuth(cache);
  const handle = createVerifyHandler({ db: async () => db, cache, usage, clientIp: clientAddress, basic });
  return {
    cache,
    usage,
    handle,
    async stop() {
      clearInterval(feed);
      clearInterval(flush);
      await flushing;
      await usage.flush(db); // counts of the last second survive a clean shutdown
      await basic.close();
    },
  };
}
