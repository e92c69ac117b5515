import type { Db } from "@/lib/db/client";

const HOUR = 3600_000;
export const hourOf = (ms: number) => Math.floor(ms / HOUR) * HOUR;

interface Bucket { keyId: string; credentialId: string; hour: number; success: number; failure: number }
interface Seen { keyId: string; credentialId: string; at: number; ips: string[] }

/**
 * Verification counts, batched in memory and flushed at least every second (and on shutdown):
 * per key, credential and hour, plus last-used times and the last client addresses. A hard crash
 * loses at most the last second of counts.
 */
export class UsageRecorder {
  private buckets = new Map<string, Bucket>();
  private seen = new Map<string, Seen>();

  record(keyId: string, credentialId: string, ok: boolean, ip: string, now: number) {
    const hour = hourOf(now);
    const id = `${keyId}|${credentialId}|${hour}`;
    let b = this.buckets.get(id);
    if (!b) this.buckets.set(id, (b = { keyId, credentialId, hour, success: 0, failure: 0 }));
    if (ok) b.success++;
    else b.failure++;
    let s = this.seen.get(credentialId);
    if (!s) this.seen.set(credentialId, (s = { keyId, credentialId, at: now, ips: [] }));
    s.at = Math.max(s.at, now);
    if (ip && s.ips[0] !== ip) s.ips = [ip, ...s.ips.filter((x) => x !== ip)].slice(0, 5);
  }

  get pending() {
    return this.buckets.size;
  }

  /**
   * Writes and clears what was counted, in three set-based statements whatever the volume (the
   * embedded database runs on the server's own thread, so fewer, larger statements matter).
   * Counts of keys deleted meanwhile are dropped.
   */
  async flush(db: Db, chunk = 250) {
    if (!this.buckets.size && !this.seen.size) return 0;
    const allBuckets = [...this.buckets.values()];
    const allSeen = [...this.seen.values()];
    this.buckets = new Map();
    this.seen = new Map();
    // In chunks, yielding in between, so requests keep being served while a large batch is written.
    for (let i = 0; i < Math.max(allBuckets.length, allSeen.length); i += chunk) {
      await this.write(db, allBuckets.slice(i, i + chunk), allSeen.slice(i, i + chunk));
      await new Promise((r) => setImmediate(r));
    }
    return allBuckets.length;
  }

  private async write(db: Db, buckets: Bucket[], seen: Seen[]) {
    if (buckets.length) {
      await db.$executeRaw`
        INSERT INTO usage_buckets (api_key_id, credential_id, hour, success, failure)
        SELECT t.k::uuid, t.c::uuid, t.h::timestamptz, t.s, t.f
        FROM unnest(${buckets.map((b) => b.keyId)}::text[], ${buckets.map((b) => b.credentialId)}::text[],
                    ${buckets.map((b) => new Date(b.hour).toISOString())}::text[], ${buckets.map((b) => b.success)}::int[],
                    ${buckets.map((b) => b.failure)}::int[]) AS t(k, c, h, s, f)
        WHERE EXISTS (SELECT 1 FROM api_keys WHERE id = t.k::uuid)
        ON CONFLICT (api_key_id, credential_id, hour)
        DO UPDATE SET success = usage_buckets.success + EXCLUDED.success, failure = usage_buckets.failure + EXCLUDED.failure`;
    }
    if (!seen.length) return;
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
