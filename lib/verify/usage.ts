import type { Db } from "@/lib/db/client";

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

interface Bucket {
  keyId: string;
  credentialId: string;
  hour: number;
  success: number;
  failure: number;
  ips: Set<string>;
}
interface Seen {
  keyId: string;
  credentialId: string;
  at: number;
  ips: string[];
}
interface Previous {
  credentialId: string;
  minute: number;
  count: number;
}
interface Written {
  next: number;
  ips: string[];
}
/** At most this many last-used rows per flush; the rest wait for the next one (a minute's wave of 100,000 keys is spread out). */
export const MAX_SEEN_PER_FLUSH = 200;

/**
 * Verification counts, batched in memory and flushed at least every second (and on shutdown):
 * per key, credential and hour; per minute for a rotation's previous credential; plus last-used
 * times and the last client addresses. A hard crash loses at most the last second of counts.
 */
export class UsageRecorder {
  private buckets = new Map<string, Bucket>();
  private seen = new Map<string, Seen>();
  private previous = new Map<string, Previous>();
  private written = new Map<string, Written>();

  record(keyId: string, credentialId: string, ok: boolean, ip: string, now: number, previous = false) {
    const hour = hourOf(now);
    const id = `${keyId}|${credentialId}|${hour}`;
    let b = this.buckets.get(id);
    if (!b) this.buckets.set(id, (b = { keyId, credentialId, hour, success: 0, failure: 0, ips: new Set() }));
    if (ok) b.success++;
    else b.failure++;
    // In memory only, flushed with the counts: no write per request.
    if (ip && b.ips.size < MAX_BUCKET_IPS) b.ips.add(ip);
    if (previous) {
      const minute = minuteOf(now);
      const pid = `${credentialId}|${minute}`;
      const p = this.previous.get(pid);
      if (p) p.count++;
      else this.previous.set(pid, { credentialId, minute, count: 1 });
    }
    let s = this.seen.get(credentialId);
    if (!s) this.seen.set(credentialId, (s = { keyId, credentialId, at: now, ips: [] }));
    s.at = Math.max(s.at, now);
    if (ip && s.ips[0] !== ip) s.ips = [ip, ...s.ips.filter((x) => x !== ip)].slice(0, 5);
  }

  /** A refused check of a known key (a wrong Basic-auth password): its failure count only, never its last use. */
  recordFailure(keyId: string, credentialId: string, now: number) {
    const id = `${keyId}|${credentialId}|${hourOf(now)}`;
    const b = this.buckets.get(id);
    if (b) b.failure++;
    else this.buckets.set(id, { keyId, credentialId, hour: hourOf(now), success: 0, failure: 1, ips: new Set() });
  }

  get pending() {
    return this.buckets.size;
  }

  /**
   * Last-used updates worth writing now: the first for a credential, a new address, or a move of
   * a minute (plus up to 30 s of jitter, so keys first seen together do not all fall due together).
   * At most MAX_SEEN_PER_FLUSH per flush; the others go back to wait for the next flush.
   */
  private dueSeen(all: Seen[]): Seen[] {
    if (this.written.size > 500_000) this.written.clear();
    const due: Seen[] = [];
    for (const s of all) {
      const w = this.written.get(s.credentialId);
      const newIp = !w || s.ips.some((ip) => !w.ips.includes(ip));
      if (w && !newIp && s.at < w.next) continue;
      if (due.length >= MAX_SEEN_PER_FLUSH && w) {
        this.putBack(s);
        continue;
      }
      this.written.set(s.credentialId, { next: s.at + LAST_USED_RESOLUTION_MS + Math.floor(Math.random() * 30_000), ips: s.ips });
      due.push(s);
    }
    return due;
  }

  private putBack(s: Seen) {
    const cur = this.seen.get(s.credentialId);
    if (!cur) this.seen.set(s.credentialId, s);
    else {
      cur.at = Math.max(cur.at, s.at);
      cur.ips = [...cur.ips, ...s.ips.filter((ip) => !cur.ips.includes(ip))].slice(0, 5);
    }
  }

  /**
   * Writes and clears what was counted, in set-based statements of at most `chunk` rows, yielding
   * in between. The database is a server process of its own, so a statement's cost on this
   * thread is mostly per statement, not per row: 10,000 keys seen in a second were 1,000
   * statements a second at 10 rows each, and are 100 at 100 (500 rows made one statement's own
   * work a visible pause in bench:verify's fixed-rate rounds).
   * Counts of keys deleted meanwhile are dropped.
   */
  async flush(db: Db, chunk = 100) {
    if (!this.buckets.size && !this.seen.size) return 0;
    const allBuckets = [...this.buckets.values()];
    const seen = [...this.seen.values()];
    const allPrevious = [...this.previous.values()];
    this.buckets = new Map();
    this.seen = new Map();
    this.previous = new Map();
    const allSeen = this.dueSeen(seen);
    // A short pause, not just a turn of the loop: requests that arrived meanwhile are answered
    // before the next statement starts.
    const yieldNow = () => new Promise((r) => setTimeout(r, 1));
    for (let i = 0; i < allBuckets.length; i += chunk) {
      await this.writeBuckets(db, allBuckets.slice(i, i + chunk));
      await yieldNow();
    }
    for (let i = 0; i < allPrevious.length; i += chunk) {
      await this.writePrevious(db, allPrevious.slice(i, i + chunk));
      await yieldNow();
    }
    for (let i = 0; i < allSeen.length; i += chunk) {
      await this.writeSeen(db, allSeen.slice(i, i + chunk));
      await yieldNow();
    }
    return allBuckets.length;
  }

  private async writeBuckets(db: Db, buckets: Bucket[]) {
    await db.$executeRaw`
      INSERT INTO usage_buckets (api_key_id, credential_id, hour, success, failure, client_ips)
      SELECT t.k::uuid, t.c::uuid, t.h::timestamptz, t.s, t.f, ARRAY(SELECT jsonb_array_elements_text(t.i::jsonb))
      FROM unnest(${buckets.map((b) => b.keyId)}::text[], ${buckets.map((b) => b.credentialId)}::text[],
                  ${buckets.map((b) => new Date(b.hour).toISOString())}::text[], ${buckets.map((b) => b.success)}::int[],
                  ${buckets.map((b) => b.failure)}::int[], ${buckets.map((b) => JSON.stringify([...b.ips]))}::text[]) AS t(k, c, h, s, f, i)
      WHERE EXISTS (SELECT 1 FROM api_keys WHERE id = t.k::uuid)
      ON CONFLICT (api_key_id, credential_id, hour)
      DO UPDATE SET success = usage_buckets.success + EXCLUDED.success, failure = usage_buckets.failure + EXCLUDED.failure,
        client_ips = ARRAY(SELECT DISTINCT x FROM unnest(usage_buckets.client_ips || EXCLUDED.client_ips) AS x LIMIT ${MAX_BUCKET_IPS})`;
  }

  private async writePrevious(db: Db, rows: Previous[]) {
    await db.$executeRaw`
      INSERT INTO previous_traffic (credential_id, minute, count)
      SELECT t.c::uuid, t.m::timestamptz, t.n
      FROM unnest(${rows.map((r) => r.credentialId)}::text[], ${rows.map((r) => new Date(r.minute).toISOString())}::text[],
                  ${rows.map((r) => r.count)}::int[]) AS t(c, m, n)
      WHERE EXISTS (SELECT 1 FROM credentials WHERE id = t.c::uuid)
      ON CONFLICT (credential_id, minute) DO UPDATE SET count = previous_traffic.count + EXCLUDED.count`;
  }

  private async writeSeen(db: Db, seen: Seen[]) {
    const lastByKey = new Map<string, number>();
    for (const s of seen) lastByKey.set(s.keyId, Math.max(lastByKey.get(s.keyId) ?? 0, s.at));
    await db.$executeRaw`
      UPDATE api_keys k SET last_used_at = GREATEST(COALESCE(k.last_used_at, t.at::timestamptz), t.at::timestamptz)
      FROM unnest(${[...lastByKey.keys()]}::text[], ${[...lastByKey.values()].map((v) => new Date(v).toISOString())}::text[]) AS t(id, at)
      WHERE k.id = t.id::uuid`;
    await db.$executeRaw`
      UPDATE credentials c SET
        last_used_at = GREATEST(COALESCE(c.last_used_at, t.at::timestamptz), t.at::timestamptz),
        last_client_ips = (ARRAY(SELECT jsonb_array_elements_text(t.ips::jsonb))
          || ARRAY(SELECT y FROM unnest(c.last_client_ips) AS y WHERE NOT (y = ANY(ARRAY(SELECT jsonb_array_elements_text(t.ips::jsonb))))))[1:5]
      FROM unnest(${seen.map((s) => s.credentialId)}::text[], ${seen.map((s) => new Date(s.at).toISOString())}::text[],
                  ${seen.map((s) => JSON.stringify(s.ips))}::text[]) AS t(id, at, ips)
      WHERE c.id = t.id::uuid`;
  }
}
