import "server-only";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { can } from "@/lib/core/permissions";
import { isUuid } from "@/lib/core/ids";
import { maskAccessKey } from "@/lib/keys/secret";
import { displayStatus } from "@/lib/keys/rules";
import { CHANNEL_LABELS, ENVIRONMENT_LABELS, STATUS_LABELS, type Role } from "@/lib/keys/types";
import type { CsvColumn } from "@/lib/csv/stream";
import { keySearchWhere, parseKeyQuery, type KeyQuery } from "./keys";
import { errorRates } from "./usage";

/** The grid's filters (environment, channel, search), and optionally the keys a bulk selection chose. */
export type KeyExportFilter = Pick<KeyQuery, "q" | "env" | "channel"> & { ids?: string[] };

export const MAX_EXPORT_IDS = 1000;

/** Reads the grid's search params the way the grid does; `ids` must be key ids, comma-separated. */
export function parseKeyExportFilter(sp: URLSearchParams): { filter: KeyExportFilter } | { error: string } {
  const { q, env, channel } = parseKeyQuery(Object.fromEntries(sp));
  const raw = sp.get("ids");
  if (raw === null) return { filter: { q, env, channel } };
  const ids = [...new Set(raw.split(",").map((s) => s.trim().toLowerCase()))].filter(Boolean);
  if (!ids.length || !ids.every(isUuid)) return { error: "ids must be a comma-separated list of API key ids." };
  if (ids.length > MAX_EXPORT_IDS) return { error: `At most ${MAX_EXPORT_IDS} keys can be exported by id at once.` };
  return { filter: { q, env, channel, ids } };
}

/** One CSV row: what the grid may show of a key. No secret, no hash. */
export interface KeyExportRow {
  name: string;
  id: string;
  accessKey: string;
  environment: string;
  channel: string;
  status: string;
  permissions: string;
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  lastUsedAt: string;
  lastRotatedAt: string;
  errorRate: string;
}

export const KEY_CSV_COLUMNS: CsvColumn<KeyExportRow>[] = [
  { header: "Name", value: (r) => r.name },
  { header: "Key ID", value: (r) => r.id },
  { header: "Access key", value: (r) => r.accessKey },
  { header: "Environment", value: (r) => r.environment },
  { header: "Channel", value: (r) => r.channel },
  { header: "Status", value: (r) => r.status },
  { header: "Permissions", value: (r) => r.permissions },
  { header: "Created", value: (r) => r.createdAt },
  { header: "Created by", value: (r) => r.createdBy },
  { header: "Expires", value: (r) => r.expiresAt },
  { header: "Last used", value: (r) => r.lastUsedAt },
  { header: "Last rotated", value: (r) => r.lastRotatedAt },
  { header: "Error rate 24 h", value: (r) => r.errorRate },
];

const STATUS_ORDER = ["ENABLED", "DISABLED", "REVOKED"] as const;

const rate = (r?: { failed: number; total: number }) =>
  r?.total ? `${Math.round((r.failed / r.total) * 1000) / 10}% (${r.failed} of ${r.total})` : "";

/**
 * The merchant's keys in the grid's default order (status, then newest first), one batch per
 * query: a keyset cursor on (created_at, id) within each status, so neither memory nor the cost
 * of a page grows with the number of keys, and a key deleted meanwhile does not lose the place.
 */
export async function* keyExportBatches(
  db: Db,
  merchantId: string,
  role: Role,
  filter: KeyExportFilter,
  opts: { batch?: number; now?: Date } = {},
): AsyncGenerator<KeyExportRow[]> {
  const batch = opts.batch ?? 500;
  const now = opts.now ?? new Date();
  const mayCopy = can(role, "keys.copy");
  const base: Prisma.ApiKeyWhereInput = {
    merchantId,
    ...(filter.env ? { environment: filter.env } : {}),
    ...(filter.channel ? { channel: filter.channel } : {}),
    ...(filter.q ? keySearchWhere(filter.q) : {}),
    ...(filter.ids ? { id: { in: filter.ids } } : {}),
  };
  for (const status of STATUS_ORDER) {
    let after: { createdAt: Date; id: string } | null = null;
    for (;;) {
      const cursor: Prisma.ApiKeyWhereInput = after
        ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }
        : {};
      const keys = await db.apiKey.findMany({
        where: { AND: [base, { status }, cursor] },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        take: batch,
        include: { credentials: { where: { slot: "CURRENT" }, select: { accessKey: true }, take: 1 } },
      });
      if (!keys.length) break;
      const creatorIds = [...new Set(keys.flatMap((k) => (k.createdById ? [k.createdById] : [])))];
      const [creators, rates] = await Promise.all([
        db.user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, email: true } }),
        errorRates(
          db,
          keys.map((k) => k.id),
          now,
        ),
      ]);
      const emails = new Map(creators.map((u) => [u.id, u.email]));
      yield keys.map((k) => {
        const accessKey = k.credentials[0]?.accessKey ?? "";
        return {
          name: k.name,
          id: k.id,
          accessKey: mayCopy || !accessKey ? accessKey : maskAccessKey(accessKey),
          environment: ENVIRONMENT_LABELS[k.environment],
          channel: CHANNEL_LABELS[k.channel],
          status: STATUS_LABELS[displayStatus(k, now)],
          permissions: k.permissions.join(" "),
          createdAt: k.createdAt.toISOString(),
          createdBy: (k.createdById && emails.get(k.createdById)) ?? "",
          expiresAt: k.expiresAt.toISOString(),
          lastUsedAt: k.lastUsedAt?.toISOString() ?? "",
          lastRotatedAt: k.lastRotatedAt?.toISOString() ?? "",
          errorRate: rate(rates.get(k.id)),
        };
      });
      if (keys.length < batch) break;
      const last = keys[keys.length - 1];
      after = { createdAt: last.createdAt, id: last.id };
    }
  }
}
