import "server-only";
import { getDb, type Db } from "@/lib/db/client";
import { hourOf, minuteOf } from "@/lib/verify/usage";

const HOUR = 3600_000;

/** Failed / all verifications per key over the last 24 hours. */
export async function errorRates(db: Db, keyIds: string[], now = new Date()): Promise<Map<string, { failed: number; total: number }>> {
  if (!keyIds.length) return new Map();
  const rows = await db.usageBucket.groupBy({
    by: ["apiKeyId"],
    where: { apiKeyId: { in: keyIds }, hour: { gte: new Date(hourOf(now.getTime()) - 23 * HOUR) } },
    _sum: { success: true, failure: true },
  });
  return new Map(rows.map((r) => [r.apiKeyId, { failed: r._sum.failure ?? 0, total: (r._sum.failure ?? 0) + (r._sum.success ?? 0) }]));
}

export interface UsagePoint {
  at: string;
  success: number;
  failure: number;
}

/** Hourly points for 24 h, or daily points for 7 d, oldest first, gaps filled with zero. */
export async function usageSeries(db: Db, keyId: string, range: "24h" | "7d", now = new Date()): Promise<UsagePoint[]> {
  const step = range === "24h" ? HOUR : 24 * HOUR;
  const count = range === "24h" ? 24 : 7;
  const end = Math.floor(now.getTime() / step) * step;
  const start = end - (count - 1) * step;
  const rows = await db.usageBucket.findMany({
    where: { apiKeyId: keyId, hour: { gte: new Date(start) } },
    select: { hour: true, success: true, failure: true },
  });
  const points = Array.from({ length: count }, (_, i) => ({ at: new Date(start + i * step).toISOString(), success: 0, failure: 0 }));
  for (const r of rows) {
    const i = Math.floor((r.hour.getTime() - start) / step);
    if (i >= 0 && i < count) {
      points[i].success += r.success;
      points[i].failure += r.failure;
    }
  }
  return points;
}

/** Traffic still using a rotation's previous credential: last hour, last use, last addresses. */
export async function previousTraffic(db: Db, credentialId: string, now = new Date()) {
  // Per-minute counts of verifications made while it was the previous credential: traffic from
  // before the rotation, when it was still the current one, is not counted.
  const since = new Date(minuteOf(now.getTime()) - 59 * 60_000);
  const [sum, cred] = await Promise.all([
    db.previousTraffic.aggregate({ where: { credentialId, minute: { gte: since } }, _sum: { count: true } }),
    db.credential.findUnique({ where: { id: credentialId }, select: { lastUsedAt: true, lastClientIps: true } }),
  ]);
  const lastUsedAt = cred?.lastUsedAt ?? null;
  return {
    lastHour: sum._sum.count ?? 0,
    lastUsedAt: lastUsedAt?.toISOString() ?? null,
    lastClientIps: cred?.lastClientIps ?? [],
    // Idle for 15 minutes (or never used): nothing seems to depend on it any more.
    safeToRevoke: !lastUsedAt || now.getTime() - lastUsedAt.getTime() >= 15 * 60_000,
  };
}

/** The key page's charts: verifications over the range, and the traffic still on the previous credential. */
export async function keyUsage(keyId: string, range: "24h" | "7d", previousCredentialId?: string | null) {
  const db = await getDb();
  const [series, traffic] = await Promise.all([
    usageSeries(db, keyId, range),
    previousCredentialId ? previousTraffic(db, previousCredentialId) : null,
  ]);
  return { series, traffic };
}
