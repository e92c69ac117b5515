// The webhook events: one per key lifecycle change, named as the issue lists them. Pure: no
// database, usable by the page's form too.
export const WEBHOOK_EVENT_TYPES = [
  "key.created",
  "key.updated",
  "key.disabled",
  "key.enabled",
  "key.revoked",
  "key.deleted",
  "key.regenerated",
  "key.rotated",
  "key.rolled_back",
  "key.grace_extended",
  "key.previous_revoked",
  "key.previous_expired",
  "key.expiring",
  "key.exposed",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** "Send test event": sent to one endpoint whatever it subscribes to. */
export const PING = "ping";

/** The audit action of a key change -> the event it sends (a duplicate is a new key, an IP allow-list an update). */
const FROM_AUDIT: Record<string, WebhookEventType> = {
  "key.created": "key.created",
  "key.duplicated": "key.created",
  "key.updated": "key.updated",
  "key.ip_allow_list_updated": "key.updated",
  "key.disabled": "key.disabled",
  "key.enabled": "key.enabled",
  "key.revoked": "key.revoked",
  "key.deleted": "key.deleted",
  "key.regenerated": "key.regenerated",
  "key.rotated": "key.rotated",
  "key.rolled_back": "key.rolled_back",
  "key.grace_extended": "key.grace_extended",
  "key.previous_revoked": "key.previous_revoked",
  "key.previous_expired": "key.previous_expired",
  "key.expiring": "key.expiring",
  "key.exposed": "key.exposed",
};
export const eventTypeOf = (auditAction: string): WebhookEventType | null => FROM_AUDIT[auditAction] ?? null;

/** What a key event's `data` may hold: named fields only, so no secret, hash or access secret can slip in. */
export interface KeyEventData {
  keyId: string;
  merchantId: string;
  name: string;
  status: string;
  environment: string;
  channel: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  lastRotatedAt: string | null;
  previousExpiresAt?: string | null;
  daysLeft?: number;
  /** key.exposed: where the secret was found, who reported it and what the exposure policy did. */
  exposure?: Exposure;
}
interface Exposure {
  url: string;
  source: string;
  action: string;
}
type Extras = { previousExpiresAt?: string | null; daysLeft?: number; exposure?: Exposure };

interface KeyRow {
  id: string;
  merchantId: string;
  name: string;
  status: string;
  environment: string;
  channel: string;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  lastRotatedAt: Date | null;
}

/** The payload of a key event, in the Standard Webhooks shape `{ type, timestamp, data }`. */
export function keyEventPayload(type: WebhookEventType, key: KeyRow, at: Date, extra: Extras = {}) {
  const data: KeyEventData = {
    keyId: key.id,
    merchantId: key.merchantId,
    name: key.name,
    status: key.status,
    environment: key.environment,
    channel: key.channel,
    createdAt: key.createdAt.toISOString(),
    updatedAt: key.updatedAt.toISOString(),
    expiresAt: key.expiresAt.toISOString(),
    lastRotatedAt: key.lastRotatedAt?.toISOString() ?? null,
  };
  if (extra.previousExpiresAt !== undefined) data.previousExpiresAt = extra.previousExpiresAt;
  if (typeof extra.daysLeft === "number") data.daysLeft = extra.daysLeft;
  if (extra.exposure) data.exposure = extra.exposure;
  return { type, timestamp: at.toISOString(), data };
}

/** Picks the only fields of an audit row's `after` that an event carries. */
export function eventExtras(after: unknown): Extras {
  if (!after || typeof after !== "object") return {};
  const a = after as Record<string, unknown>;
  const out: Extras = {};
  if (typeof a.url === "string" && typeof a.source === "string" && typeof a.policy === "string")
    out.exposure = { url: a.url, source: a.source, action: a.policy };
  if (typeof a.previousExpiresAt === "string" || a.previousExpiresAt === null) out.previousExpiresAt = a.previousExpiresAt as string | null;
  if (typeof a.daysLeft === "number") out.daysLeft = a.daysLeft;
  return out;
}
