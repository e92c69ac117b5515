import "server-only";
import type { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { findKey } from "@/lib/keys/services/key-access";
import { displayStatus } from "@/lib/keys/rules";
import { keySearchWhere } from "@/lib/data/keys";
import type { auditListDto, KeyDto, keyListDto, listAuditQuery, listKeysQuery } from "./schemas";

// The API's reads: DTOs, never rows (no hash leaves here), always through the actor's merchant.

const iso = (d: Date | null) => d?.toISOString() ?? null;
const CREDENTIALS = { orderBy: { slot: "asc" as const } };

type Cred = Omit<Prisma.CredentialGetPayload<object>, "secretHash">;
type KeyWithCredentials = Prisma.ApiKeyGetPayload<object> & { credentials: Cred[] };

export function toKeyDto(k: KeyWithCredentials, now = new Date()): KeyDto {
  return {
    id: k.id,
    name: k.name,
    description: k.description,
    environment: k.environment,
    channel: k.channel,
    status: k.status,
    displayStatus: displayStatus(k, now),
    version: k.version,
    permissions: k.permissions,
    ipAllowList: k.ipAllowList,
    createdAt: k.createdAt.toISOString(),
    updatedAt: k.updatedAt.toISOString(),
    expiresAt: k.expiresAt.toISOString(),
    lastRotatedAt: iso(k.lastRotatedAt),
    lastUsedAt: iso(k.lastUsedAt),
    credentials: k.credentials.map((c) => ({
      slot: c.slot,
      kind: c.kind,
      accessKey: c.accessKey,
      secretHint: c.secretHint,
      createdAt: c.createdAt.toISOString(),
      expiresAt: iso(c.expiresAt),
      rotatedAt: iso(c.rotatedAt),
      graceExtended: c.graceExtended,
    })),
  };
}

/** One key of the actor's merchant; another merchant's id answers like a missing key. */
export async function readKey(db: Db | Tx, actor: Actor, keyId: string): Promise<KeyDto> {
  const key = await findKey(db, actor, keyId);
  const credentials = await db.credential.findMany({ where: { apiKeyId: key.id }, ...CREDENTIALS });
  return toKeyDto({ ...key, credentials });
}

/** An opaque cursor: the last row's time and id, newest first. */
const encodeCursor = (at: Date, id: string) => Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
function decodeCursor(cursor: string | undefined): { at: Date; id: string } | null {
  if (!cursor) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    const date = new Date(at);
    if (typeof id === "string" && /^[0-9a-f-]{36}$/i.test(id) && !Number.isNaN(date.getTime())) return { at: date, id };
  } catch {
    /* answered below */
  }
  throw new AppError("VALIDATION", { fieldErrors: { cursor: "This cursor is not valid: use nextCursor from a previous page." } });
}
const after = (c: { at: Date; id: string } | null) =>
  c ? { OR: [{ createdAt: { lt: c.at } }, { createdAt: c.at, id: { lt: c.id } }] } : {};

/** The grid's filters (search, environment, channel, status), newest first, a page at a time. */
export async function listKeysPage(db: Db | Tx, actor: Actor, q: z.output<typeof listKeysQuery>): Promise<z.infer<typeof keyListDto>> {
  const cursor = decodeCursor(q.cursor);
  const where: Prisma.ApiKeyWhereInput = {
    merchantId: actor.merchantId,
    ...(q.environment ? { environment: q.environment } : {}),
    ...(q.channel ? { channel: q.channel } : {}),
    ...(q.status ? { status: q.status } : {}),
    AND: [q.q ? keySearchWhere(q.q) : {}, after(cursor)],
  };
  const rows = await db.apiKey.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    include: { credentials: CREDENTIALS },
  });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { data: page.map((k) => toKeyDto(k)), nextCursor: rows.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

export async function listAuditPage(db: Db | Tx, actor: Actor, q: z.output<typeof listAuditQuery>): Promise<z.infer<typeof auditListDto>> {
  const cursor = decodeCursor(q.cursor);
  const rows = await db.auditEvent.findMany({
    where: {
      merchantId: actor.merchantId,
      ...(q.keyId ? { apiKeyId: q.keyId } : {}),
      ...(q.action ? { action: q.action } : {}),
      ...after(cursor),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select: { id: true, action: true, apiKeyId: true, actorEmail: true, clientIp: true, before: true, after: true, createdAt: true },
  });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    data: page.map((e) => ({
      id: e.id,
      action: e.action,
      keyId: e.apiKeyId,
      actor: e.actorEmail,
      clientIp: e.clientIp,
      before: e.before,
      after: e.after,
      createdAt: e.createdAt.toISOString(),
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}
