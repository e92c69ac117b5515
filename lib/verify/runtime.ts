import type { Db } from "@/lib/db/client";
import { KeyCache } from "./cache";
import { UsageRecorder } from "./usage";
import { createVerifyHandler } from "./handler";
import { BasicAuth } from "./basic-auth";
import { KeyChangeFeed } from "./change-feed";
import { clientAddress } from "@/lib/server/client-ip";
import { every } from "@/lib/server/every";

export const FEED_POLL_MS = 250;
export const USAGE_FLUSH_MS = 1000;

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
  // Every lifecycle write appends a key_changes row in its own transaction; each process applies
  // them to its cache every 250 ms, in commit order (see KeyChangeFeed).
  const changes = await KeyChangeFeed.start(db);
  const feed = every(FEED_POLL_MS, "verify feed", () => changes.poll(db, cache));
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
