import "server-only";
import type { Db, Tx } from "@/lib/db/client";

// One runner for every outbox table (mail today, webhooks next). An outbox row is written in the
// change's own transaction; the runner delivers it later: rows are claimed under a lease with
// FOR UPDATE SKIP LOCKED (several instances share the work, none waits on another), delivered
// outside any transaction under the row's idempotency key, then marked delivered, or retried
// with exponential backoff, or given up on after too many attempts. A process that dies mid-send
// leaves its rows leased: when the lease ends they are claimed again, under the same key.
//
// Each outbox table has the columns id, status ('PENDING' | 'SENT' | 'DEAD'), attempts,
// next_attempt_at, last_error, idempotency_key and created_at.

export interface ClaimedRow {
  id: string;
  idempotency_key: string;
  attempts: number;
}

export interface OutboxQueue<Row extends ClaimedRow, Result> {
  name: string;
  /** The table: a constant of the queue's definition, never input. */
  table: string;
  /** The columns a delivery needs besides id, idempotency_key and attempts (constants too). */
  columns: readonly string[];
  leaseMs: number;
  maxAttempts: number;
  /**
   * Deliveries in flight at once (default 1). Rows of one `laneOf` value go one after another;
   * lanes run side by side, so one slow receiver holds up only its own lane.
   */
  concurrency?: number;
  laneOf?(row: Row): string;
  /**
   * The lane as a column of the table (which then has a `leased_until` column): a lane is then
   * delivered one row at a time across every instance too, not only within one process.
   */
  laneColumn?: string;
  backoffMs(attempts: number): number;
  /** Sends one row; must be idempotent for its idempotency key (the provider dedupes on it). */
  deliver(row: Row): Promise<Result>;
  /** Marks the row delivered and drops what must not stay readable. */
  delivered(db: Db, row: Row, result: Result): Promise<void>;
  /** Marks a failed attempt: retried at `retryAt`, or DEAD. */
  failed(db: Db, row: Row, f: { dead: boolean; error: string; retryAt: Date }): Promise<void>;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
const ident = (s: string) => {
  if (!IDENT.test(s)) throw new Error(`Not an SQL identifier: ${s}`);
  return `"${s}"`;
};

/** Exponential backoff from `baseMs`, doubling per attempt, capped. */
export const exponentialBackoff = (baseMs: number, capMs: number) => (attempts: number) =>
  Math.min(capMs, baseMs * 2 ** Math.max(0, attempts - 1));

/**
 * Claims due rows under a lease: each claim counts as an attempt and hides the row until the lease
 * ends. With a `laneColumn`, a lane that another instance is delivering (a row of it leased and
 * not yet finished) is left alone. Such claims take turns across instances (an advisory lock for
 * the queue, held only for the claim): each then reads the leases the one before it committed.
 */
export function claimDue<Row extends ClaimedRow>(db: Db, q: OutboxQueue<Row, unknown>, now: Date, batch: number): Promise<Row[]> {
  const t = ident(q.table);
  const cols = ["id", "idempotency_key", "attempts", ...q.columns].map(ident).join(", ");
  const lane = q.laneColumn ? ident(q.laneColumn) : null;
  const laneFree = lane
    ? `AND NOT EXISTS (SELECT 1 FROM ${t} x WHERE x.${lane} = d.${lane} AND x.status = 'PENDING' AND x.leased_until > $2)`
    : "";
  const claim = (c: Db | Tx) =>
    c.$queryRawUnsafe<Row[]>(
      `UPDATE ${t} SET next_attempt_at = $1, attempts = attempts + 1${lane ? ", leased_until = $1" : ""}
       WHERE id IN (
         SELECT d.id FROM ${t} d WHERE d.status = 'PENDING' AND d.next_attempt_at <= $2 ${laneFree}
         ORDER BY d.created_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING ${cols}`,
      new Date(now.getTime() + q.leaseMs),
      now,
      batch,
    );
  if (!lane) return claim(db);
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtext($1))", `keyport-claim:${q.table}`);
    return claim(tx); // a statement of its own: its snapshot is taken once the turn is ours
  });
}

/** A lane's row is done (sent, failed or given back): the lane is free for any instance again. */
async function freeLane(db: Db, q: OutboxQueue<ClaimedRow, unknown>, ids: string[]) {
  if (q.laneColumn && ids.length)
    await db.$executeRawUnsafe(`UPDATE ${ident(q.table)} SET leased_until = NULL WHERE id = ANY($1::uuid[])`, ids);
}

/** One pass over due rows: claims up to `batch` and delivers each; once `signal` aborts, the rows not started are let go. */
export async function runOutbox<Row extends ClaimedRow, Result>(
  db: Db,
  q: OutboxQueue<Row, Result>,
  now = new Date(),
  batch = 20,
  signal?: AbortSignal,
): Promise<{ sent: number; failed: number; released: number }> {
  const claimed = await claimDue(db, q, now, batch);
  let sent = 0;
  let failed = 0;
  const one = async (row: Row) => {
    let result: Result;
    try {
      result = await q.deliver(row);
    } catch (err) {
      failed++;
      const error = String(err instanceof Error ? err.message : err).slice(0, 500);
      await q.failed(db, row, { dead: row.attempts >= q.maxAttempts, error, retryAt: new Date(Date.now() + q.backoffMs(row.attempts)) });
      await freeLane(db, q, [row.id]);
      return;
    }
    await q.delivered(db, row, result);
    await freeLane(db, q, [row.id]);
    sent++;
  };
  const lanes = new Map<string, Row[]>();
  for (const row of claimed) {
    const lane = q.laneOf?.(row) ?? "";
    const list = lanes.get(lane);
    if (list) list.push(row);
    else lanes.set(lane, [row]);
  }
  const queue = [...lanes.values()];
  const workers = Math.max(1, Math.min(q.concurrency ?? 1, queue.length));
  const unstarted: string[] = [];
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift())
        for (const row of lane) {
          if (signal?.aborted) unstarted.push(row.id);
          else await one(row);
        }
    }),
  );
  if (unstarted.length) await release(db, q, unstarted);
  return { sent, failed, released: unstarted.length };
}

/**
 * Gives claimed rows back: due at once, and the claim no longer counted as an attempt. A process
 * that drains does this for what it has not started, so another instance need not wait out the lease.
 */
async function release(db: Db, q: OutboxQueue<ClaimedRow, unknown>, ids: string[]) {
  await freeLane(db, q, ids);
  await db.$executeRawUnsafe(
    `UPDATE ${ident(q.table)} SET next_attempt_at = now(), attempts = GREATEST(attempts - 1, 0) WHERE id = ANY($1::uuid[]) AND status = 'PENDING'`,
    ids,
  );
}

/** Drains a backlog in batches, at most `rounds` of them per tick, and no new batch once `signal` aborts. */
export async function drainOutbox<Row extends ClaimedRow, Result>(
  db: Db,
  q: OutboxQueue<Row, Result>,
  batch = 20,
  rounds = 25,
  signal?: AbortSignal,
) {
  for (let i = 0; i < rounds && !signal?.aborted; i++) {
    const { sent, failed } = await runOutbox(db, q, new Date(), batch, signal);
    if (sent + failed < batch) break;
  }
}
