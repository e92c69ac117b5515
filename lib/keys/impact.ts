// The impact preview of an action that breaks an integration: the traffic of the last 7 days on
// the credentials that would stop working. Pure: the reader in lib/data/impact.ts feeds it rows.
import { z } from "zod";
import { keyIdField } from "./schema";

export const IMPACT_WINDOW_DAYS = 7;
/** Used this recently, something is almost certainly still calling with it: the preview warns. */
export const RECENT_USE_MS = 15 * 60_000;
/** The warning's words, the same wherever it shows. */
export const RECENT_USE_LABEL = "In use in the last 15 minutes";
const HOUR = 3600_000;

/**
 * Which credentials stop: every one of the key's (disable, revoke, delete, regenerate, rotate
 * "Now"), the current only (rollback deletes it), or a rotation's previous one (revoke it now).
 */
export const IMPACT_SCOPES = ["all", "current", "previous"] as const;
export type ImpactScope = (typeof IMPACT_SCOPES)[number];

/** What a dialog asks for when it opens: the keys it would act on (a page of a bulk selection at most) and the scope. */
export const impactRequestSchema = z.strictObject({
  keyIds: z.array(keyIdField).min(1).max(1000),
  scope: z.enum(IMPACT_SCOPES),
});

export interface ImpactBucket {
  success: number;
  failure: number;
  clientIps: readonly string[];
}
export interface ImpactLastUse {
  at: Date | null;
  /** The most recent client address first, as credentials store them. */
  clientIps: readonly string[];
}

export interface ImpactPreview {
  /** Successful verifications: the traffic that would stop. */
  requests: number;
  /** Verifications already refused (disabled, off the allow-list…): listed apart, they break nothing new. */
  refused: number;
  distinctIps: number;
  /** At least one bucket hit its cap of addresses: the count is a lower bound. */
  ipsAtLeast: boolean;
  lastUsedAt: string | null;
  lastIp: string | null;
  /** Used within the last 15 minutes: shown as a warning. */
  recent: boolean;
  text: string;
}

/** The first hourly bucket of the window: this hour and the 167 before it. */
export const impactWindowStart = (now: Date) => new Date(Math.floor(now.getTime() / HOUR) * HOUR - (IMPACT_WINDOW_DAYS * 24 - 1) * HOUR);

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** "less than a minute ago", "4 minutes ago", "3 hours ago", "2 days ago". */
export function timeAgo(at: Date, now: Date): string {
  const ms = Math.max(0, now.getTime() - at.getTime());
  if (ms < 60_000) return "less than a minute ago";
  if (ms < HOUR) return `${plural(Math.floor(ms / 60_000), "minute", "minutes")} ago`;
  if (ms < 48 * HOUR) return `${plural(Math.floor(ms / HOUR), "hour", "hours")} ago`;
  return `${plural(Math.floor(ms / (24 * HOUR)), "day", "days")} ago`;
}

/**
 * Totals, distinct addresses and the latest use over the buckets and credentials given (the
 * caller has already kept only the window and the credentials that would stop working).
 */
export function summariseImpact(buckets: readonly ImpactBucket[], uses: readonly ImpactLastUse[], now: Date, ipCap = 64): ImpactPreview {
  let requests = 0;
  let refused = 0;
  let ipsAtLeast = false;
  const ips = new Set<string>();
  for (const b of buckets) {
    requests += b.success;
    refused += b.failure;
    for (const ip of b.clientIps) ips.add(ip);
    if (b.clientIps.length >= ipCap) ipsAtLeast = true;
  }
  let last: ImpactLastUse | null = null;
  for (const u of uses) if (u.at && (!last?.at || u.at > last.at)) last = u;
  const lastUsedAt = requests > 0 && last?.at ? last.at : null;
  const lastIp = lastUsedAt ? (last?.clientIps[0] ?? null) : null;
  const recent = !!lastUsedAt && now.getTime() - lastUsedAt.getTime() < RECENT_USE_MS;
  const preview = { requests, refused, distinctIps: ips.size, ipsAtLeast, lastUsedAt: lastUsedAt?.toISOString() ?? null, lastIp, recent };
  return { ...preview, text: impactText(preview, now) };
}

/**
 * "412 successful requests from 3 IP addresses in the last 7 days. Last used 4 minutes ago from
 * 203.0.113.7. 3 refused requests in the last 7 days are not counted."
 */
export function impactText(p: Omit<ImpactPreview, "text">, now: Date): string {
  const days = `in the last ${IMPACT_WINDOW_DAYS} days`;
  const refused = p.refused
    ? ` ${plural(p.refused, "refused request", "refused requests")} ${days} ${p.refused === 1 ? "is" : "are"} not counted.`
    : "";
  if (p.requests === 0) return `No successful requests ${days}.${refused}`;
  const from = p.distinctIps ? ` from ${p.ipsAtLeast ? "at least " : ""}${plural(p.distinctIps, "IP address", "IP addresses")}` : "";
  const first = `${plural(p.requests, "successful request", "successful requests")}${from} ${days}.`;
  const last = p.lastUsedAt ? ` Last used ${timeAgo(new Date(p.lastUsedAt), now)}${p.lastIp ? ` from ${p.lastIp}` : ""}.` : "";
  return `${first}${last}${refused}`;
}
