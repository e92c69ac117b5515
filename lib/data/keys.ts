import "server-only";
import { maskAccessKey } from "@/lib/keys/secret";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { errorRates } from "./usage";
import { can } from "@/lib/core/permissions";
import type { Channel, DisplayStatus, Environment, Role } from "@/lib/keys/types";
import { CHANNELS, ENVIRONMENTS } from "@/lib/keys/types";
import { displayStatus } from "@/lib/keys/rules";

/** One grid row: what the browser may know about a key. No secret, no hash. */
export interface KeyRowDto {
  id: string;
  name: string;
  accessKey: string | null; // null when the role may not copy it
  accessKeyHint: string;
  environment: Environment;
  channel: Channel;
  status: DisplayStatus;
  errorRate: { failed: number; total: number } | null;
  lastUsedAt: string | null;
  expiresAt: string;
  createdAt: string;
  /** Set by a leak report (lib/leaks) until the key is rotated, revoked or the badge dismissed. */
  exposed: { at: string; url: string | null } | null;
}

export const SORTABLE = ["name", "status", "lastUsedAt", "expiresAt", "createdAt"] as const;
export type SortField = (typeof SORTABLE)[number];

export interface KeyQuery {
  q?: string;
  env?: Environment;
  channel?: Channel;
  sort?: SortField;
  dir: "asc" | "desc";
  page: number;
  pageSize: number;
}

export function parseKeyQuery(sp: Record<string, string | string[] | undefined>): KeyQuery {
  const one = (k: string) => (typeof sp[k] === "string" ? (sp[k] as string) : undefined);
  const env = ENVIRONMENTS.find((e) => e === one("env"));
  const channel = CHANNELS.find((c) => c === one("channel"));
  const page = Math.max(1, Math.min(10_000, Number.parseInt(one("page") ?? "1", 10) || 1));
  // Control characters (a NUL cannot even be sent to PostgreSQL) are dropped from the search.
  const q =
    one("q")
      ?.replace(/[\u0000-\u001f\u007f]/g, "")
      .trim()
      .slice(0, 100) || undefined;
  const sort = SORTABLE.find((f) => f === one("sort"));
  const dir = one("dir") === "desc" ? "desc" : "asc";
  return { q, env, channel, sort, dir, page, pageSize: 25 };
}

/**
 * Prisma passes `contains`/`startsWith` to LIKE as they are, so `%` and `_` (and the escape
 * character itself) typed into the search would match anything: they are searched for literally.
 */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A key matches by name (anywhere, any case) or by the start of its access key. */
/** A search that has an access key's shape ("ak_live_3Fq…", a prefix of one) looks up access keys only. */
const ACCESS_KEY_PREFIX = /^ak_(live|test)_[A-Za-z0-9]*$/;

export function keySearchWhere(q: string): Prisma.ApiKeyWhereInput {
  const term = escapeLike(q);
  const byAccessKey: Prisma.ApiKeyWhereInput = { credentials: { some: { accessKey: { startsWith: term } } } };
  // An index range on credentials.access_key instead of a pass over every name of the inventory.
  if (ACCESS_KEY_PREFIX.test(q)) return byAccessKey;
  return { OR: [{ name: { contains: term, mode: "insensitive" } }, byAccessKey] };
}

/** The Developers-tab grid, filtered, sorted and paged in the database. */
export async function listKeys(merchantId: string, role: Role, query: KeyQuery, now = new Date()) {
  const db = await getDb();
  const where: Prisma.ApiKeyWhereInput = {
    merchantId,
    ...(query.env ? { environment: query.env } : {}),
    ...(query.channel ? { channel: query.channel } : {}),
    ...(query.q ? keySearchWhere(query.q) : {}),
  };
  // Default: status (Enabled, Disabled, Revoked: the enum's order), then newest first.
  const order = (flip: boolean): Prisma.ApiKeyOrderByWithRelationInput[] => {
    const d = (dir: "asc" | "desc") => (flip ? (dir === "asc" ? "desc" : "asc") : dir);
    return query.sort
      ? [
          { [query.sort]: query.sort === "lastUsedAt" ? { sort: d(query.dir), nulls: flip ? "first" : "last" } : d(query.dir) },
          { createdAt: d("desc") },
          { id: d("asc") },
        ]
      : [{ status: d("asc") }, { createdAt: d("desc") }, { id: d("asc") }];
  };
  const skip = (query.page - 1) * query.pageSize;
  // Page 1 reads its rows beside the count. A later page needs the count first: past the middle
  // of the inventory it is read from the other end, in reverse, so the last page costs what the
  // first does instead of skipping 99,975 index entries.
  // Without a search the total is a sum of kept counts (key_counts), not a count of the inventory.
  const count = query.q
    ? db.apiKey.count({ where })
    : db.keyCount
        .aggregate({
          where: { merchantId, ...(query.env ? { environment: query.env } : {}), ...(query.channel ? { channel: query.channel } : {}) },
          _sum: { n: true },
        })
        .then((r) => r._sum.n ?? 0);
  const total = skip > 0 ? await count : 0;
  const fromEnd = skip > 0 && skip >= total / 2;
  const [counted, found] = await Promise.all([
    skip > 0 ? total : count,
    db.apiKey.findMany({
      where,
      orderBy: order(fromEnd),
      skip: fromEnd ? Math.max(0, total - skip - query.pageSize) : skip,
      take: fromEnd ? Math.max(0, Math.min(query.pageSize, total - skip)) : query.pageSize,
      select: {
        id: true,
        name: true,
        environment: true,
        channel: true,
        status: true,
        lastUsedAt: true,
        expiresAt: true,
        createdAt: true,
        exposedAt: true,
        exposedUrl: true,
        credentials: { where: { slot: "CURRENT" }, select: { accessKey: true }, take: 1 },
      },
    }),
  ]);
  const keys = fromEnd ? found.reverse() : found;
  const mayCopy = can(role, "keys.copy");
  const rates = await errorRates(
    db,
    keys.map((k) => k.id),
    now,
  );
  const rows: KeyRowDto[] = keys.map((k) => {
    const accessKey = k.credentials[0]?.accessKey ?? "";
    return {
      id: k.id,
      name: k.name,
      accessKey: mayCopy ? accessKey : null,
      accessKeyHint: maskAccessKey(accessKey),
      environment: k.environment,
      channel: k.channel,
      status: displayStatus(k, now),
      errorRate: rates.get(k.id) ?? null,
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
      expiresAt: k.expiresAt.toISOString(),
      createdAt: k.createdAt.toISOString(),
      exposed: k.exposedAt ? { at: k.exposedAt.toISOString(), url: k.exposedUrl } : null,
    };
  });
  return { rows, total: counted, page: query.page, pageSize: query.pageSize };
}

/** Keys per channel (in one environment, or both): the Developers tab's channel groups. */
export async function channelCounts(merchantId: string, env?: Environment): Promise<Record<Channel, number>> {
  const db = await getDb();
  // Kept by a trigger on api_keys (key_counts): a few rows, however large the inventory.
  const rows = await db.keyCount.findMany({
    where: { merchantId, ...(env ? { environment: env } : {}) },
    select: { channel: true, n: true },
  });
  const counts = Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<Channel, number>;
  for (const r of rows) counts[r.channel as Channel] += r.n;
  return counts;
}
