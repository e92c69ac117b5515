import type { KeyCache } from "./cache";
import { type SqlTarget, sqlRows } from "./sql";

/** Rows read per poll at most; past it the whole cache is dropped instead (see below). */
export const FEED_BATCH = 5000;

/** Bigints come back as bigint from Prisma and as strings from pg. */
interface Row {
  snapshot: string;
  horizon: bigint | string;
  id: bigint | string | null;
  api_key_id: string | null;
  merchant_id: string | null;
  created_at: Date | string | null;
}

/**
 * Applies the key-change feed to a cache, in commit order. Sequence ids are handed out at insert,
 * not at commit: a transaction holding a lower id can commit after a higher id was read, so
 * reading `id > last` misses it for good. Each row instead carries its writer's transaction id
 * (xid), and each poll keeps the PostgreSQL snapshot it read in: the next poll reads exactly the
 * rows whose transaction that snapshot did not see (`pg_visible_in_snapshot`), searching from its
 * horizon (xmin) up. A row is so read once, however long another transaction anywhere in the
 * cluster holds the horizon back.
 */
/** What one poll found: the keys that changed (with their merchants), or `reset` when it was too many to list. */
export type FeedBatch = { horizon: bigint } & ({ reset: true } | { reset: false; changes: { keyId: string; merchantId: string | null }[] });

export class KeyChangeFeed {
  /** How long the newest change applied by the last poll that found one took to arrive, ms (a metric). */
  lagMs = 0;

  private constructor(
    private snapshot: string, // of the last poll: every change it saw has been applied
    private horizon: bigint, // its xmin: every change of a transaction below it has been applied
  ) {}

  /** Starts at the database's present: what committed before needs no invalidation. */
  static async start(db: SqlTarget): Promise<KeyChangeFeed> {
    const [row] = await sqlRows<{ snapshot: string; horizon: bigint | string }>(
      db,
      `SELECT s::text AS snapshot, pg_snapshot_xmin(s)::text::bigint AS horizon FROM pg_current_snapshot() AS s`,
    );
    return new KeyChangeFeed(row.snapshot, BigInt(row.horizon));
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
    // One statement, so the snapshot and the rows agree: the rows returned are those it sees.
    const rows = await sqlRows<Row>(
      db,
      `WITH snap AS (SELECT pg_current_snapshot() AS s)
       SELECT snap.s::text AS snapshot, pg_snapshot_xmin(snap.s)::text::bigint AS horizon,
              c.id, c.api_key_id, c.merchant_id, c.created_at
       FROM snap LEFT JOIN LATERAL (
         SELECT id, api_key_id, merchant_id, created_at FROM key_changes
         WHERE xid >= $1::bigint AND NOT pg_visible_in_snapshot(xid::text::xid8, $2::pg_snapshot)
         ORDER BY xid, id LIMIT ${FEED_BATCH}
       ) c ON true`,
      [this.horizon.toString(), this.snapshot],
    );
    const horizon = BigInt(rows[0].horizon);
    const changes = rows.filter((r) => r.id !== null);
    const reset = changes.length >= FEED_BATCH;
    // Too far behind to track row by row: forget everything cached. Every row this snapshot sees
    // is so covered, read or not; the next poll reads from it.
    if (reset) cache?.clear();
    else for (const r of changes) cache?.invalidateKey(r.api_key_id!);
    const fresh = changes.length;
    if (onBatch && fresh)
      onBatch(
        reset
          ? { horizon, reset: true }
          : { horizon, reset: false, changes: changes.map((r) => ({ keyId: r.api_key_id!, merchantId: r.merchant_id })) },
      );
    if (fresh && cache) this.lagMs = Math.max(0, Date.now() - new Date(changes[fresh - 1].created_at!).getTime());
    this.snapshot = rows[0].snapshot;
    this.horizon = horizon;
    return fresh;
  }
}
