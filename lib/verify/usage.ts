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

  /** Writes and clears what was counted; counts of keys deleted meanwhile are dropped. */
  async flush(db: Db) {
    if (!this.buckets.size && !this.seen.size) return 0;
    const buckets = [...this.buckets.values()];
    const seen = [...this.seen.values()];
    this.buckets = new Map();
    this.seen = new Map();
    for (const b of buckets) {
      await db.$executeRaw`
        INSERT INTO usage_buckets (api_key_id, credential_id, hour, success, failure)
        SELECT ${b.keyId}::uuid, ${b.credentialId}::uuid, ${new Date(b.hour)}, ${b.success}, ${b.failure}
        WHERE EXISTS (SELECT 1 FROM api_keys WHERE id = ${b.keyId}::uuid)
        ON CONFLICT (api_key_id, credential_id, hour)
        DO UPDATE SET success = usage_buckets.success + EXCLUDED.success, failure = usage_buckets.failure + EXCLUDED.failure`;
    }
    for (const s of seen) {
      const at = new Date(s.at);
      await db.$executeRaw`UPDATE api_keys SET last_used_at = GREATEST(COALESCE(last_used_at, ${at}), ${at}) WHERE id = ${s.keyId}::uuid`;
      await db.$executeRaw`
        UPDATE credentials SET last_used_at = GREATEST(COALESCE(last_used_at, ${at}), ${at}),
          last_client_ips = (${s.ips}::text[] || ARRAY(SELECT y FROM unnest(last_client_ips) AS y WHERE NOT (y = ANY(${s.ips}::text[]))))[1:5]
        WHERE id = ${s.credentialId}::uuid`;
    }
    return buckets.length;
  }
}
