import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/core/errors";
import { isUuid } from "@/lib/core/ids";
import { MAX_BUCKET_IPS } from "@/lib/verify/usage";
import { impactWindowStart, summariseImpact, type ImpactPreview, type ImpactScope } from "@/lib/keys/impact";

export type { ImpactPreview, ImpactScope } from "@/lib/keys/impact";

/**
 * The last 7 days of traffic on the credentials of these keys that would stop working, all
 * together. Every key must be the merchant's: another merchant's id answers like a missing key.
 */
export async function readImpact(
  db: Db | Tx,
  merchantId: string,
  keyIds: readonly string[],
  scope: ImpactScope,
  now = new Date(),
): Promise<ImpactPreview> {
  const ids = [...new Set(keyIds)];
  if (!ids.every(isUuid)) throw new AppError("NOT_FOUND");
  const known = ids.length ? await db.apiKey.count({ where: { id: { in: ids }, merchantId } }) : 0;
  if (known !== ids.length) throw new AppError("NOT_FOUND");
  const credentials = ids.length
    ? await db.credential.findMany({
        where: {
          apiKeyId: { in: ids },
          ...(scope === "all" ? {} : { slot: scope === "current" ? ("CURRENT" as const) : ("PREVIOUS" as const) }),
        },
        select: { id: true, lastUsedAt: true, lastClientIps: true },
      })
    : [];
  const buckets = credentials.length
    ? await db.usageBucket.findMany({
        where: { apiKeyId: { in: ids }, credentialId: { in: credentials.map((c) => c.id) }, hour: { gte: impactWindowStart(now) } },
        select: { success: true, failure: true, clientIps: true },
      })
    : [];
  return summariseImpact(
    buckets,
    credentials.map((c) => ({ at: c.lastUsedAt, clientIps: c.lastClientIps })),
    now,
    MAX_BUCKET_IPS,
  );
}
