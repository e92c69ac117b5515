import "server-only";
import { getDb, type Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { isUuid } from "@/lib/core/ids";
import type { CsvColumn } from "@/lib/csv/stream";
import { jsonbText, toJsonValue } from "@/lib/audit/chain";

/** The audit page's filters and page, from its search params. */
export interface AuditQuery {
  key?: string;
  actor?: string;
  action?: string;
  /** UTC days, YYYY-MM-DD, both included. */
  from?: string;
  to?: string;
  /** What was typed into From or To but is not a day: the page says so instead of guessing. */
  badDates?: ("from" | "to")[];
  page: number;
  pageSize: number;
}

// A real calendar day (no 31 February) in years PostgreSQL and the pager both handle.
const DAY_RE = /^(19|2\d)\d{2}-\d{2}-\d{2}$/;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
/**
 * A day as the app writes it ("7 Dec 2026", "7 December 2026") or as ISO 8601 (2026-12-07), as
 * YYYY-MM-DD; undefined when it is not a real day.
 */
export function parseDay(s?: string): string | undefined {
  if (!s) return undefined;
  let iso = s;
  const words = /^(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})$/.exec(s.trim());
  if (words) {
    const month = MONTHS.indexOf(words[2].slice(0, 3).toLowerCase());
    const full = new Intl.DateTimeFormat("en-GB", { month: "long", timeZone: "UTC" }).format(Date.UTC(2000, month, 1)).toLowerCase();
    if (month < 0 || !(words[2].length === 3 || full === words[2].toLowerCase() || words[2].toLowerCase() === "sept")) return undefined;
    iso = `${words[3]}-${String(month + 1).padStart(2, "0")}-${words[1].padStart(2, "0")}`;
  }
  const t = DAY_RE.test(iso) ? Date.parse(`${iso}T00:00:00Z`) : Number.NaN;
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === iso ? iso : undefined;
}

/** Unknown or malformed values are dropped (the page shows every row for them), never an error page. */
export function parseAuditQuery(sp: Record<string, string | string[] | undefined>): AuditQuery {
  const one = (k: string) => (typeof sp[k] === "string" ? (sp[k] as string).trim() : undefined);
  const key = one("key")?.toLowerCase();
  const text = (k: string, max: number) =>
    one(k)
      ?.replace(/[\u0000-\u001f\u007f]/g, "")
      .slice(0, max) || undefined;
  const page = Math.max(1, Math.min(100_000, Number.parseInt(one("page") ?? "1", 10) || 1));
  const badDates = (["from", "to"] as const).filter((k) => one(k) && !parseDay(one(k)));
  return {
    key: key && isUuid(key) ? key : undefined,
    actor: text("actor", 254),
    action: text("action", 64),
    from: parseDay(one("from")),
    to: parseDay(one("to")),
    ...(badDates.length ? { badDates } : {}),
    page,
    pageSize: 50,
  };
}

/** The filters as search params again: for links that keep them (paging, export). */
export function auditSearchParams(q: Partial<AuditQuery>): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of ["key", "actor", "action", "from", "to"] as const) if (q[k]) p.set(k, q[k]);
  return p;
}

export function auditWhere(merchantId: string, q: Omit<AuditQuery, "page" | "pageSize">): Prisma.AuditEventWhereInput {
  const DAY = 24 * 3600_000;
  return {
    merchantId,
    ...(q.key ? { apiKeyId: q.key } : {}),
    ...(q.actor ? { actorEmail: q.actor } : {}),
    ...(q.action ? { action: q.action } : {}),
    ...(q.from || q.to
      ? {
          createdAt: {
            ...(q.from ? { gte: new Date(`${q.from}T00:00:00Z`) } : {}),
            ...(q.to ? { lt: new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY) } : {}),
          },
        }
      : {}),
  };
}

/** Names of keys, deleted ones too: a deleted key's name comes from its "key.deleted" row. */
export async function keyNames(db: Db, merchantId: string, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const live = await db.apiKey.findMany({ where: { merchantId, id: { in: unique } }, select: { id: true, name: true } });
  const names = new Map(live.map((k) => [k.id, k.name]));
  const gone = unique.filter((id) => !names.has(id));
  if (gone.length) {
    const deleted = await db.auditEvent.findMany({
      where: { merchantId, apiKeyId: { in: gone }, action: "key.deleted" },
      select: { apiKeyId: true, before: true },
    });
    for (const d of deleted) {
      const name = (d.before as { name?: unknown } | null)?.name;
      if (d.apiKeyId && typeof name === "string") names.set(d.apiKeyId, `${name} (deleted)`);
    }
  }
  return names;
}

/** One audit row as the page and the CSV show it. */
export interface AuditRowDto {
  id: string;
  /** Null only for a row written around the chain's trigger (verification names it). */
  seq: number | null;
  at: string;
  actor: string;
  action: string;
  keyId: string | null;
  keyName: string | null;
  clientIp: string | null;
  before: string | null;
  after: string | null;
  hash: string | null;
}

type EventRow = Prisma.AuditEventGetPayload<object>;
// The stored JSON as PostgreSQL prints it (the form the hash covers): ", " and ": " let it wrap.
const json = (v: unknown) => (v === null || v === undefined ? null : jsonbText(toJsonValue(v)));

export async function toAuditRows(db: Db, merchantId: string, events: EventRow[]): Promise<AuditRowDto[]> {
  const names = await keyNames(
    db,
    merchantId,
    events.flatMap((e) => (e.apiKeyId ? [e.apiKeyId] : [])),
  );
  return events.map((e) => ({
    id: e.id,
    seq: e.seq,
    at: e.createdAt.toISOString(),
    actor: e.actorEmail,
    action: e.action,
    keyId: e.apiKeyId,
    keyName: e.apiKeyId ? (names.get(e.apiKeyId) ?? null) : null,
    clientIp: e.clientIp,
    before: json(e.before),
    after: json(e.after),
    hash: e.hash,
  }));
}

/** A page of the log, newest first (chain order), with the total for the pager. */
export async function listAuditEvents(merchantId: string, q: AuditQuery, db?: Db) {
  db ??= await getDb();
  const where = auditWhere(merchantId, q);
  const [total, events] = await Promise.all([
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({ where, orderBy: { seq: "desc" }, skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
  ]);
  return { rows: await toAuditRows(db, merchantId, events), total };
}

/** What the filters offer: keys, actors and actions that occur in this merchant's log. */
export async function auditFilterOptions(merchantId: string, db?: Db) {
  db ??= await getDb();
  const [keys, actors, actions] = await Promise.all([
    db.auditEvent.groupBy({ by: ["apiKeyId"], where: { merchantId, apiKeyId: { not: null } } }),
    db.auditEvent.groupBy({ by: ["actorEmail"], where: { merchantId }, orderBy: { actorEmail: "asc" } }),
    db.auditEvent.groupBy({ by: ["action"], where: { merchantId }, orderBy: { action: "asc" } }),
  ]);
  const ids = keys.flatMap((k) => (k.apiKeyId ? [k.apiKeyId] : []));
  const names = await keyNames(db, merchantId, ids);
  return {
    keys: ids.map((id) => ({ id, name: names.get(id) ?? `Key ${id.slice(0, 8)}` })).sort((a, b) => a.name.localeCompare(b.name)),
    actors: actors.map((a) => a.actorEmail),
    actions: actions.map((a) => a.action),
  };
}

/** The filtered log, newest first, one batch per query (a keyset cursor on seq). */
export async function* auditExportBatches(
  db: Db,
  merchantId: string,
  q: Omit<AuditQuery, "page" | "pageSize">,
  batch = 500,
): AsyncGenerator<AuditRowDto[]> {
  const where = auditWhere(merchantId, q);
  let below: number | undefined;
  for (;;) {
    const events = await db.auditEvent.findMany({
      where: below === undefined ? where : { AND: [where, { seq: { lt: below } }] },
      orderBy: { seq: "desc" },
      take: batch,
    });
    if (!events.length) return;
    yield await toAuditRows(db, merchantId, events);
    if (events.length < batch) return;
    below = events[events.length - 1].seq ?? undefined;
    if (below === undefined) return;
  }
}

/** The newest link of the chain: the hash an auditor notes down. */
export async function latestAuditHash(merchantId: string, db?: Db) {
  db ??= await getDb();
  const last = await db.auditEvent.findFirst({
    where: { merchantId, seq: { not: null } },
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true, createdAt: true },
  });
  return last?.seq && last.hash ? { seq: last.seq, hash: last.hash, at: last.createdAt.toISOString() } : null;
}

export const AUDIT_CSV_COLUMNS: CsvColumn<AuditRowDto>[] = [
  { header: "Row", value: (r) => r.seq },
  { header: "Time", value: (r) => r.at },
  { header: "Actor", value: (r) => r.actor },
  { header: "Action", value: (r) => r.action },
  { header: "Key ID", value: (r) => r.keyId },
  { header: "Key", value: (r) => r.keyName },
  { header: "Client IP", value: (r) => r.clientIp },
  { header: "Before", value: (r) => r.before },
  { header: "After", value: (r) => r.after },
  { header: "Event ID", value: (r) => r.id },
  { header: "Hash", value: (r) => r.hash },
];
