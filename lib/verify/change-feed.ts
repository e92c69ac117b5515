import type { KeyCache } from "./cache";
import { type SqlTarget, sqlRows } from "./sql";

/** Rows read per poll at most; past it the whole cache is dropped instead (see below). */
export const FEED_BATCH = 5000;

/** Bigints come back as bigint from Prisma and as strings from pg. */
interface Row {
  horizon: bigint | string;
  id: bigint | string | null;
  api_key_id: string | null;
  merchant_id: string | null;
  xid: bigint | string | null;
  created_at: Date | string | null;
}

/**
 * Applies the key-change feed to a cache, in commit order. Sequence ids are handed out at insert,
 * not at commit: a transaction holding a lower id can commit after a higher id was read, so
 * reading `id > last` misses it for good. Each row instead carries its writer's transaction id
 * (xid), and each poll reads every row whose xid is at or past the previous poll's snapshot
 * horizon (xmin): a row not visible then belongs to a transaction that was still running, whose
 * xid is at least that horizon. Rows already applied are skipped by id.
 */
/** What one poll found: the keys that changed (with their merchants), or `reset` when it was too many to list. */
export type FeedBatch = { horizon: bigint } & ({ reset: true } | { reset: false; changes: { keyId: string; merchantId: string | null }[] });

export class KeyChangeFeed {
  /** How long the newest change applied by the last poll that found one took to arrive, ms (a metric). */
  lagMs = 0;

  private constructor(
    private horizon: bigint,
    private applied = new Map<bigint, bigint>(), // id -> xid, of rows that can still be read again
  ) {}

  /** Starts at the database's present: what committed before needs no invalidation. */
  static async start(db: SqlTarget): Promise<KeyChangeFeed> {
    const feed = new KeyChangeFeed(0n);
    await feed.poll(db, null);
    return feed;
  }

  /** The snapshot horizon of the last poll: every change of a transaction below it has been applied. */
  get cursor(): bigint {
    return this.horizon;
  }

  /**
   * One poll: drops changed keys from `cache` (all of it on an oversize batch) and hands the batch
   * to `onBatch` (the SDK change stream); returns how many rows were new.
   */
  async poll(
    db: SqlTarget,
    cache: Pick<KeyCache, "invalidateKey" | "clear"> | null,
    onBatch?: (batch: FeedBatch) => void,
  ): Promise<number> {
    // One statement, so the horizon and the rows come from the same snapshot.
    const rows = await sqlRows<Row>(
      db,
      `WITH snap AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon)
       SELECT snap.horizon, c.id, c.api_key_id, c.merchant_id, c.xid, c.created_at
       FROM snap LEFT JOIN LATERAL (
         SELECT id, api_key_id, merchant_id, xid, created_at FROM key_changes WHERE xid >= $1::bigint ORDER BY xid, id LIMIT ${FEED_BATCH}
       ) c ON true`,
      [this.horizon.toString()],
    );
    const horizon = BigInt(rows[0].horizon);
    const changes = rows.filter((r) => r.id !== null);
    let fresh = 0;
    const changed: { keyId: string; merchantId: string | null }[] = [];
    if (changes.length >= FEED_BATCH) {
      // Too far behind to track row by row: forget everything cached. Every row below the new
      // horizon is committed and so covered; rows past it are read again next time.
      cache?.clear();
      this.applied.clear();
      fresh = changes.length;
    } else {
      for (const r of changes) {
        const id = BigInt(r.id!);
        if (this.applied.has(id)) continue;
        this.applied.set(id, BigInt(r.xid!));
        cache?.invalidateKey(r.api_key_id!);
        if (onBatch) changed.push({ keyId: r.api_key_id!, merchantId: r.merchant_id });
        fresh++;
      }
    }
    if (onBatch && fresh) onBatch(changes.length >= FEED_BATCH ? { horizon, reset: true } : { horizon, reset: false, changes: changed });
    if (fresh && cache) this.lagMs = Math.max(0, Date.now() - new Date(changes[changes.length - 1].created_at!).getTime());
    // Rows of transactions below the new horizon are never read again: stop remembering them.
    for (const [id, xid] of this.applied) if (xid < horizon) this.applied.delete(id);
    this.horizon = horizon;
    return fresh;
  }
}
