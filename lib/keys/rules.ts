import type { DisplayStatus, KeyStatus } from "./types";

// The key lifecycle as pure functions (docs/design.md §3). Services and the UI both ask these.
export const LIFECYCLE_ACTIONS = [
  "enable",
  "disable",
  "revoke",
  "delete",
  "edit",
  "setIpAllowList",
  "duplicate",
  "regenerate",
  "rotate",
  "rollback",
  "extend",
  "revokePrevious",
] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

const ALLOWED: Record<LifecycleAction, readonly KeyStatus[]> = {
  enable: ["DISABLED"],
  disable: ["ENABLED"],
  revoke: ["DISABLED"], // revoking is deliberate: a key is disabled first
  delete: ["ENABLED", "DISABLED"],
  edit: ["ENABLED", "DISABLED"],
  setIpAllowList: ["ENABLED", "DISABLED"],
  duplicate: ["ENABLED", "DISABLED"],
  regenerate: ["ENABLED", "DISABLED"],
  rotate: ["ENABLED", "DISABLED"],
  rollback: ["ENABLED", "DISABLED"],
  extend: ["ENABLED", "DISABLED"],
  // Ends an open grace window early: the previous credential stops at once.
  revokePrevious: ["ENABLED", "DISABLED"],
};

/** Revoked is terminal: nothing changes a revoked key again. */
export const isAllowed = (status: KeyStatus, action: LifecycleAction) => ALLOWED[action].includes(status);

export function statusAfter(status: KeyStatus, action: LifecycleAction): KeyStatus {
  if (action === "enable") return "ENABLED";
  if (action === "disable") return "DISABLED";
  if (action === "revoke") return "REVOKED";
  return status;
}

/** The actions a key card offers, in display order. */
export const availableActions = (status: KeyStatus) => LIFECYCLE_ACTIONS.filter((a) => isAllowed(status, a));

export const KEY_LIFETIME_MS = 365 * 24 * 3600_000;
export const defaultExpiry = (from: Date) => new Date(from.getTime() + KEY_LIFETIME_MS);
export const isExpired = (expiresAt: Date, now: Date) => expiresAt.getTime() <= now.getTime();

/** What users see: the stored status, or Expired once expires-at has passed (a revoked key stays Revoked). */
export const displayStatus = (key: { status: KeyStatus; expiresAt: Date }, now: Date): DisplayStatus =>
  key.status !== "REVOKED" && isExpired(key.expiresAt, now) ? "EXPIRED" : key.status;
