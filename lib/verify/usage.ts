import { type SqlTarget, sqlRows } from "./sql";

const HOUR = 3600_000;
const MINUTE = 60_000;
export const hourOf = (ms: number) => Math.floor(ms / HOUR) * HOUR;
export const minuteOf = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;
/**
 * "Last used" is written when it moves by at least this much (or a new client address shows up):
 * a key verified a thousand times a second is one row update a minute, not a thousand.
 */
export const LAST_USED_RESOLUTION_MS = 60_000;
/** Distinct client addresses kept per bucket (key, credential, hour): enough to count them, bounded in memory. */
export const MAX_BUCKET_IPS = 64;
/** At most this many last-used rows per flush; the rest wait for the next one (a minute's wave of 100,000 keys is spread out). */
export const MAX_SEEN_PER_FLUSH = 200;
/** Credentials remembered between flushes; past it, those with nothing pending are forgotten. */
const MAX_COUNTERS = 500_000;

interface HourCounts {
  success: number;
  failure: number;
  /** Distinct client addresses of these counts, at most MAX_BUCKET_IPS. */
  ips: string[];
}

/**
 * One credential's usage since the last flush. It is kept and reused from flush to flush, so
 * recording a verification allocates nothing in the usual case (the same hour, a known client
 * address): under load, a fresh object per key and second lived just long enough to be copied
 * by every young-generation GC and then to fill the old one (measured: 1.2 MB promoted per
 * scavenge at 2,000 req/s over 10,000 keys, and a mark-compact every half minute).
 */
interface Counter extends HourCounts {
  readonly keyId: string;
  readonly credentialId: string;
  /** In the list of the next flush. */
  dirty: boolean;
  hour: number;
  /** Counts of other hours than `hour`: a clock crossing the hour before the flush (rare). */
  otherHours: Map<number, HourCounts> | null;
  /** Per minute, for a rotation's previous credential. */
  previous: Map<number, number> | null;
  /** The latest use not yet written (0: none), and the addresses seen since, newest first (at most 5). */
  seenAt: number;
  seenIps: string[];
  /** When last used is next due without a new address, and the addresses last written (null: never written). */
  writtenNext: number;
  writtenIps: string[] | null;
}

interface BucketRow extends HourCounts {
  keyId: string;
  credentialId: string;
  hour: number;
}
interface PreviousRow {
  credentialId: string;
  minute: number;
  count: number;
}
interface SeenRow {
  keyId: string;
  credentialId: string;
  at: number;
  ips: string[];
}

/**
 * Verification counts, batched in memory and flushed at least every second (and on shutdown):
 * per key, credential and hour; per minute for a rotation's previous credential; plus last-used
 * times and the last client addresses. A hard crash loses at most the last second of counts.
 */
export class UsageRecorder {
  private counters = new Map<string, Counter>();
  private dirty: Counter[] = [];

  record(keyId: string, credentialId: string, ok: boolean, ip: string, now: number, previous = false) {
    const c = this.counter(keyId, credentialId);
    const counts = this.countsOf(c, hourOf(now));
    if (ok) counts.success++;
    else counts.failure++;
    // In memory only, flushed with the counts: no write per request.
    if (ip && counts.ips.length < MAX_BUCKET_IPS && !counts.ips.includes(ip)) counts.ips.push(ip);
    if (previous) {
      const minute = minuteOf(now);
      c.previous ??= new Map();
      c.previous.set(minute, (c.previous.get(minute) ?? 0) + 1);
    }
    if (now > c.seenAt) c.seenAt = now;
    if (ip && c.seenIps[0] !== ip) {
      const at = c.seenIps.indexOf(ip);
      if (at > 0) c.seenIps.splice(at, 1);
      c.seenIps.unshift(ip);
      if (c.seenIps.length > 5) c.seenIps.length = 5;
    }
  }

  /** A refused check of a known key (a wrong Basic-auth password): its failure count only, never its last use. */
  recordFailure(keyId: string, credentialId: string, now: number) {
    this.countsOf(this.counter(keyId, credentialId), hourOf(now)).failure++;
  }

  /** Credentials with a last-used time waiting to be written (for tests). */
  get pendingLastUsed() {
    return this.dirty.filter((c) => c.seenAt > 0).length;
  }

  private counter(keyId: string, credentialId: string): Counter {
    let c = this.counters.get(credentialId);
    if (!c) {
      if (this.counters.size >= MAX_COUNTERS) for (const [id, old] of this.counters) if (!old.dirty) this.counters.delete(id);
      c = {
        keyId,
        credentialId,
        dirty: false,
        hour: 0,
        success: 0,
        failure: 0,
        ips: [],
        otherHours: null,
        previous: null,
        seenAt: 0,
        seenIps: [],
        writtenNext: 0,
        writtenIps: null,
      };
      this.counters.set(credentialId, c);
    }
    if (!c.dirty) {
      c.dirty = true;
      this.dirty.push(c);
    }
    return c;
  }

  private countsOf(c: Counter, hour: number): HourCounts {
    if (c.hour === hour) return c;
    if (c.success === 0 && c.failure === 0) {
      c.hour = hour;
      c.ips.length = 0;
      return c;
    }
    c.otherHours ??= new Map();
    let other = c.otherHours.get(hour);
    if (!other) c.otherHours.set(hour, (other = { success: 0, failure: 0, ips: [] }));
    return other;
  }

  /**
   * Whether `c`'s last use is to be written now: the first for a credential, a new address, or a
   * move of a minute (plus up to 30 s of jitter, so keys first seen together do not all fall due
   * together). At most MAX_SEEN_PER_FLUSH per flush; the others wait for the next flush.
   */
  private dueSeen(c: Counter, due: SeenRow[]) {
    const written = c.writtenIps;
    const newIp = !written || c.seenIps.some((ip) => !written.includes(ip));
    if (written && !newIp && c.seenAt < c.writtenNext) {
      c.seenAt = 0; // within the minute, nothing new: not written
      c.seenIps.length = 0;
      return;
    }
    if (written && due.length >= MAX_SEEN_PER_FLUSH) {
      c.dirty = true;
      this.dirty.push(c);
      return;
    }
    c.writtenNext = c.seenAt + LAST_USED_RESOLUTION_MS + Math.floor(Math.random() * 30_000);
    c.writtenIps = c.seenIps.slice();
    due.push({ keyId: c.keyId, credentialId: c.credentialId, at: c.seenAt, ips: c.writtenIps });
    c.seenAt = 0;
    c.seenIps.length = 0;
  }

  /**
   * Writes and clears what was counted, in set-based statements of at most `chunk` rows, yielding
   * in between. The database is a server process of its own, so a statement's cost on this
   * thread is mostly per statement, not per row: 10,000 keys seen in a second were 1,000
   * statements a second at 10 rows each, and are 100 at 100 (500 rows made one statement's own
   * work a visible pause in bench:verify's fixed-rate rounds).
   * Counts of keys deleted meanwhile are dropped. Returns how many bucket rows were written.
   */
  async flush(db: SqlTarget, chunk = 100) {
    if (!this.dirty.length) return 0;
    const dirty = this.dirty;
    this.dirty = [];
    const buckets: BucketRow[] = [];
    const previous: PreviousRow[] = [];
    const seen: SeenRow[] = [];
    // Everything is taken synchronously: what is recorded during the writes goes to the next flush.
    for (const c of dirty) {
      c.dirty = false;
      const { keyId, credentialId } = c;
      if (c.success || c.failure) {
        buckets.push({ keyId, credentialId, hour: c.hour, success: c.success, failure: c.failure, ips: c.ips });
        c.success = 0;
        c.failure = 0;
        c.ips = [];
      }
      if (c.otherHours) {
        for (const [hour, o] of c.otherHours) buckets.push({ keyId, credentialId, hour, ...o });
        c.otherHours = null;
      }
      if (c.previous?.size) {
        for (const [minute, count] of c.previous) previous.push({ credentialId, minute, count });
        c.previous.clear();
      }
      if (c.seenAt) this.dueSeen(c, seen);
    }
    // A short pause, not just a turn of the loop: requests that arrived meanwhile are answered
    // before the next statement starts.
    const yieldNow = () => new Promise((r) => setTimeout(r, 1));
    for (let i = 0; i < buckets.length; i += chunk) {
      await writeBuckets(db, buckets.slice(i, i + chunk));
      await yieldNow();
    }
    for (let i = 0; i < previous.length; i += chunk) {
      await writePrevious(db, previous.slice(i, i + chunk));
      await yieldNow();
    }
    for (let i = 0; i < seen.length; i += chunk) {
      await writeSeen(db, seen.slice(i, i + chunk));
      await yieldNow();
    }
    return buckets.length;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

async function writeBuckets(db: SqlTarget, rows: BucketRow[]) {
  await sqlRows(
    db,
    `INSERT INTO usage_buckets (api_key_id, credential_id, hour, success, failure, client_ips)
     SELECT t.k::uuid, t.c::uuid, t.h::timestamptz, t.s, t.f, ARRAY(SELECT jsonb_array_elements_text(t.i::jsonb))
     FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[]) AS t(k, c, h, s, f, i)
     WHERE EXISTS (SELECT 1 FROM api_keys WHERE id = t.k::uuid)
     ON CONFLICT (api_key_id, credential_id, hour)
     DO UPDATE SET success = usage_buckets.success + EXCLUDED.success, failure = usage_buckets.failure + EXCLUDED.failure,
       client_ips = ARRAY(SELECT DISTINCT x FROM unnest(usage_buckets.client_ips || EXCLUDED.client_ips) AS x LIMIT ${MAX_BUCKET_IPS})`,
    [
      rows.map((b) => b.keyId),
      rows.map((b) => b.credentialId),
      rows.map((b) => iso(b.hour)),
      rows.map((b) => b.success),
      rows.map((b) => b.failure),
      rows.map((b) => JSON.stringify(b.ips)),
    ],
  );
}

async function writePrevious(db: SqlTarget, rows: PreviousRow[]) {
  await sqlRows(
    db,
    `INSERT INTO previous_traffic (credential_id, minute, count)
     SELECT t.c::uuid, t.m::timestamptz, t.n
     FROM unnest($1::text[], $2::text[], $3::int[]) AS t(c, m, n)
     WHERE EXISTS (SELECT 1 FROM credentials WHERE id = t.c::uuid)
     ON CONFLICT (credential_id, minute) DO UPDATE SET count = previous_traffic.count + EXCLUDED.count`,
    [rows.map((r) => r.credentialId), rows.map((r) => iso(r.minute)), rows.map((r) => r.count)],
  );
}

async function writeSeen(db: SqlTarget, rows: SeenRow[]) {
  const lastByKey = new Map<string, number>();
  for (const s of rows) lastByKey.set(s.keyId, Math.max(lastByKey.get(s.keyId) ?? 0, s.at));
  await sqlRows(
    db,
    `UPDATE api_keys k SET last_used_at = GREATEST(COALESCE(k.last_used_at, t.at::timestamptz), t.at::timestamptz)
     FROM unnest($1::text[], $2::text[]) AS t(id, at)
     WHERE k.id = t.id::uuid`,
    [[...lastByKey.keys()], [...lastByKey.values()].map(iso)],
  );
  await sqlRows(
    db,
    `UPDATE credentials c SET
       last_used_at = GREATEST(COALESCE(c.last_used_at, t.at::timestamptz), t.at::timestamptz),
       last_client_ips = (ARRAY(SELECT jsonb_array_elements_text(t.ips::jsonb))
         || ARRAY(SELECT y FROM unnest(c.last_client_ips) AS y WHERE NOT (y = ANY(ARRAY(SELECT jsonb_array_elements_text(t.ips::jsonb))))))[1:5]
     FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, at, ips)
     WHERE c.id = t.id::uuid`,
    [rows.map((s) => s.credentialId), rows.map((s) => iso(s.at)), rows.map((s) => JSON.stringify(s.ips))],
  );
}
