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
  /** Distinct client addresses of these counts, at most MAX_BUCKET_IPS (null: none yet). */
  ips: string[] | null;
}

/**
 * One credential's usage since the last flush. It is kept and reused from flush to flush, so
 * recording a verification allocates nothing in the usual case (the same hour, a known client
 * address): under load, a fresh object per key and second lived just long enough to be copied
 * by every young-generation GC and then to fill the old one (measured: 1.2 MB promoted per
 * scavenge at 2,000 req/s over 10,000 keys, and a mark-compact every half minute). Its address
 * lists exist only while they hold an address: a verifier that saw 100,000 keys keeps 100,000
 * counters, and two empty arrays each were about 65 bytes of them.
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
  /** The latest use not yet written (0: none), and the addresses seen since, newest first (at most 5; null: none). */
  seenAt: number;
  seenIps: string[] | null;
  /** When last used is next due without a new address, and the addresses last written (null: never written; the list seenIps was, never changed). */
  writtenNext: number;
  writtenIps: readonly string[] | null;
}

const NO_IPS: readonly string[] = Object.freeze([]);

/** Statement parameters column by column (what unnest() takes), in chunks: no object per row. */
type Columns = unknown[][];

/** The chunk that takes the next row: the last one, or a new one once it holds `size` rows. */
function rowOf(chunks: Columns[], width: number, size: number): Columns {
  let last = chunks[chunks.length - 1];
  if (!last || last[0].length >= size) chunks.push((last = Array.from({ length: width }, () => [])));
  return last;
}

let lastIso: { ms: number; iso: string } = { ms: Number.NaN, iso: "" };
/** ISO 8601 of an hour or minute: one string per distinct value in a row, not one per key. */
function isoOf(ms: number) {
  if (lastIso.ms !== ms) lastIso = { ms, iso: new Date(ms).toISOString() };
  return lastIso.iso;
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
    this.add(keyId, credentialId, ok, ip, now, previous, 1);
  }

  /**
   * `n` verifications at once (an SDK's report of answers from its cache): what `n` calls of
   * `record` would count, with each address seen once, in constant time whatever `n` is.
   */
  recordMany(keyId: string, credentialId: string, ok: boolean, n: number, ips: readonly string[], now: number, previous = false) {
    if (n <= 0) return;
    this.add(keyId, credentialId, ok, ips[0] ?? "", now, previous, n);
    if (ok) for (const ip of ips.slice(1, n)) this.add(keyId, credentialId, ok, ip, now, previous, 0);
  }

  private add(keyId: string, credentialId: string, ok: boolean, ip: string, now: number, previous: boolean, n: number) {
    const c = this.counter(keyId, credentialId);
    const counts = this.countsOf(c, hourOf(now));
    if (ok) counts.success += n;
    else counts.failure += n;
    // A refused request (a disabled key, an address off its allow-list) is counted, but it is not
    // a use: the addresses and "last used" are those of successful verifications only, so a key
    // that only strangers try is never shown as in use.
    if (!ok) return;
    // In memory only, flushed with the counts: no write per request.
    if (ip) {
      if (!counts.ips) counts.ips = [ip];
      else if (counts.ips.length < MAX_BUCKET_IPS && !counts.ips.includes(ip)) counts.ips.push(ip);
    }
    if (previous && n > 0) {
      const minute = minuteOf(now);
      c.previous ??= new Map();
      c.previous.set(minute, (c.previous.get(minute) ?? 0) + n);
    }
    if (now > c.seenAt) c.seenAt = now;
    if (ip && !c.seenIps) c.seenIps = [ip];
    else if (ip && c.seenIps && c.seenIps[0] !== ip) {
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
        ips: null,
        otherHours: null,
        previous: null,
        seenAt: 0,
        seenIps: null,
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
      c.ips = null;
      return c;
    }
    c.otherHours ??= new Map();
    let other = c.otherHours.get(hour);
    if (!other) c.otherHours.set(hour, (other = { success: 0, failure: 0, ips: null }));
    return other;
  }

  /**
   * Whether `c`'s last use is to be written now: the first for a credential, a new address, or a
   * move of a minute (plus up to 30 s of jitter, so keys first seen together do not all fall due
   * together). At most MAX_SEEN_PER_FLUSH per flush; the others wait for the next flush.
   */
  private dueSeen(c: Counter, written: number): boolean {
    const before = c.writtenIps;
    const newIp = !before || !!c.seenIps?.some((ip) => !before.includes(ip));
    if (before && !newIp && c.seenAt < c.writtenNext) {
      c.seenAt = 0; // within the minute, nothing new: not written
      c.seenIps = null;
      return false;
    }
    if (before && written >= MAX_SEEN_PER_FLUSH) {
      c.dirty = true;
      this.dirty.push(c);
      return false;
    }
    c.writtenNext = c.seenAt + LAST_USED_RESOLUTION_MS + Math.floor(Math.random() * 30_000);
    return true;
  }

  /**
   * Writes and clears what was counted, in set-based statements of at most `chunk` rows, yielding
   * in between. The database is a server process of its own, so a statement's cost on this
   * thread is mostly per statement, not per row: 10,000 keys seen in a second were 1,000
   * statements a second at 10 rows each, and are 100 at 100 (500 rows made one statement's own
   * work a visible pause in bench:verify's fixed-rate rounds). Parameters are gathered column by
   * column, and the counters' own arrays are reused: what a flush allocates dies with it.
   * Counts of keys deleted meanwhile are dropped. Returns how many bucket rows were written.
   */
  async flush(db: SqlTarget, chunk = 100) {
    if (!this.dirty.length) return 0;
    const dirty = this.dirty;
    this.dirty = [];
    const buckets: Columns[] = []; // key, credential, hour, success, failure, addresses (JSON)
    const previous: Columns[] = []; // credential, minute, count
    const seen: Columns[] = []; // credential, at, addresses (JSON)
    const keysSeen = new Map<string, number>(); // key -> latest use written
    let rows = 0;
    let written = 0;
    const bucket = (c: Counter, hour: number, counts: HourCounts) => {
      const b = rowOf(buckets, 6, chunk);
      b[0].push(c.keyId);
      b[1].push(c.credentialId);
      b[2].push(isoOf(hour));
      b[3].push(counts.success);
      b[4].push(counts.failure);
      b[5].push(counts.ips ? JSON.stringify(counts.ips) : "[]");
      rows++;
    };
    // Everything is taken synchronously: what is recorded during the writes goes to the next flush.
    for (const c of dirty) {
      c.dirty = false;
      if (c.success || c.failure) {
        bucket(c, c.hour, c);
        c.success = 0;
        c.failure = 0;
        c.ips = null;
      }
      if (c.otherHours) {
        for (const [hour, o] of c.otherHours) bucket(c, hour, o);
        c.otherHours = null;
      }
      if (c.previous?.size) {
        for (const [minute, count] of c.previous) {
          const p = rowOf(previous, 3, chunk);
          p[0].push(c.credentialId);
          p[1].push(isoOf(minute));
          p[2].push(count);
        }
        c.previous.clear();
      }
      if (c.seenAt && this.dueSeen(c, written)) {
        written++;
        const r = rowOf(seen, 3, chunk);
        r[0].push(c.credentialId);
        r[1].push(new Date(c.seenAt).toISOString());
        r[2].push(c.seenIps ? JSON.stringify(c.seenIps) : "[]");
        keysSeen.set(c.keyId, Math.max(keysSeen.get(c.keyId) ?? 0, c.seenAt));
        c.seenAt = 0;
        // The list written becomes the one to compare with: moved, not copied.
        c.writtenIps = c.seenIps ?? NO_IPS;
        c.seenIps = null;
      }
    }
    const keys: Columns[] = [];
    for (const [id, at] of keysSeen) {
      const k = rowOf(keys, 2, chunk);
      k[0].push(id);
      k[1].push(new Date(at).toISOString());
    }
    // A short pause, not just a turn of the loop: requests that arrived meanwhile are answered
    // before the next statement starts.
    const yieldNow = () => new Promise((r) => setTimeout(r, 1));
    for (const [sql, chunks] of [
      [WRITE_BUCKETS, buckets],
      [WRITE_PREVIOUS, previous],
      [WRITE_KEYS_SEEN, keys],
      [WRITE_CREDENTIALS_SEEN, seen],
    ] as const) {
      for (const params of chunks) {
        await sqlRows(db, sql, params);
        await yieldNow();
      }
    }
    return rows;
  }
}

const WRITE_BUCKETS = `
  INSERT INTO usage_buckets (api_key_id, credential_id, hour, success, failure, client_ips)
  SELECT t.k::uuid, t.c::uuid, t.h::timestamptz, t.s, t.f, ARRAY(SELECT jsonb_array_elements_text(t.i::jsonb))
  FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[]) AS t(k, c, h, s, f, i)
  WHERE EXISTS (SELECT 1 FROM api_keys WHERE id = t.k::uuid)
  ON CONFLICT (api_key_id, credential_id, hour)
  DO UPDATE SET success = usage_buckets.success + EXCLUDED.success, failure = usage_buckets.failure + EXCLUDED.failure,
    client_ips = ARRAY(SELECT DISTINCT x FROM unnest(usage_buckets.client_ips || EXCLUDED.client_ips) AS x LIMIT ${MAX_BUCKET_IPS})`;

const WRITE_PREVIOUS = `
  INSERT INTO previous_traffic (credential_id, minute, count)
  SELECT t.c::uuid, t.m::timestamptz, t.n
  FROM unnest($1::text[], $2::text[], $3::int[]) AS t(c, m, n)
  WHERE EXISTS (SELECT 1 FROM credentials WHERE id = t.c::uuid)
  ON CONFLICT (credential_id, minute) DO UPDATE SET count = previous_traffic.count + EXCLUDED.count`;

const WRITE_KEYS_SEEN = `
  UPDATE api_keys k SET last_used_at = GREATEST(COALESCE(k.last_used_at, t.at::timestamptz), t.at::timestamptz)
  FROM unnest($1::text[], $2::text[]) AS t(id, at)
  WHERE k.id = t.id::uuid`;

const WRITE_CREDENTIALS_SEEN = `
  UPDATE credentials c SET
    last_used_at = GREATEST(COALESCE(c.last_used_at, t.at::timestamptz), t.at::timestamptz),
    last_client_ips = (ARRAY(SELECT jsonb_array_elements_text(t.ips::jsonb))
      || ARRAY(SELECT y FROM unnest(c.last_client_ips) AS y WHERE NOT (y = ANY(ARRAY(SELECT jsonb_array_elements_text(t.ips::jsonb))))))[1:5]
  FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, at, ips)
  WHERE c.id = t.id::uuid`;
