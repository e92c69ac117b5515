// Pure rules of rotation, rollback and extension (docs/design.md §3, rules 7–11).
import { isExpired } from "./rules";

const HOUR = 3600_000;

export const GRACE_OPTIONS = [
  { value: "now", label: "Now", ms: 0 },
  { value: "1h", label: "1 hour", ms: HOUR },
  { value: "3h", label: "3 hours", ms: 3 * HOUR },
  { value: "24h", label: "24 hours", ms: 24 * HOUR },
  { value: "48h", label: "48 hours", ms: 48 * HOUR },
  { value: "72h", label: "72 hours", ms: 72 * HOUR },
  { value: "7d", label: "7 days", ms: 7 * 24 * HOUR },
] as const;
export type GraceOption = (typeof GRACE_OPTIONS)[number]["value"];
export const DEFAULT_GRACE: GraceOption = "24h";
export const MAX_GRACE_MS = 7 * 24 * HOUR;

/** When the previous credential stops working. "Now" stops it at once. */
export function graceEnd(option: GraceOption, now: Date): Date {
  const o = GRACE_OPTIONS.find((g) => g.value === option);
  if (!o) throw new Error(`Unknown grace option ${option}`);
  return new Date(now.getTime() + o.ms);
}

/**
 * An expired key fails verification whatever its credentials (§3 rule 11): a new secret for it
 * would never work, so neither a single nor a bulk rotation (nor a regenerate) touches it.
 */
export const canRotate = (key: { expiresAt: Date }, now: Date) => !isExpired(key.expiresAt, now);

/** Bulk rotation's selection: Enabled keys that have not expired, the same rule as a single rotation's. */
export const isBulkRotatable = (key: { status: string; expiresAt: Date }, now: Date) => key.status === "ENABLED" && canRotate(key, now);

/**
 * A grace window never outlives the key itself: past its expiry the previous credential fails
 * verification anyway, and the mail must not promise otherwise (Unkey: cap-grace-period-at-source-expiry).
 */
export const capGraceAtKeyExpiry = (until: Date, keyExpiresAt: Date) =>
  until.getTime() > keyExpiresAt.getTime() ? new Date(keyExpiresAt.getTime()) : until;

export interface PreviousCredential {
  expiresAt: Date | null;
  rotatedAt: Date | null;
  graceExtended: boolean;
}

/** The window is open while the previous credential has not expired. */
export const isWindowOpen = (prev: PreviousCredential | null | undefined, now: Date) =>
  !!prev?.expiresAt && prev.expiresAt.getTime() > now.getTime();

/** Rollback only while the previous credential is still valid: an expired one never comes back. */
export const canRollback = (prev: PreviousCredential | null | undefined, now: Date) => isWindowOpen(prev, now);

/** "Revoke previous key now" ends an open window early; once it has ended there is nothing to revoke. */
export const canRevokePrevious = (prev: PreviousCredential | null | undefined, now: Date) => isWindowOpen(prev, now);

/**
 * Extension: once, only while open, later than now's end, at most 7 days after the rotation, and
 * (once capped at the key's own expiry) still later than now's end. `until` is the capped time.
 */
export function extensionError(prev: PreviousCredential | null | undefined, until: Date, now: Date, keyExpiresAt?: Date): string | null {
  if (!prev || !isWindowOpen(prev, now) || !prev.rotatedAt) return "There is no open grace window to extend.";
  if (prev.graceExtended) return "This grace window has already been extended once.";
  if (until.getTime() > latestExtension(prev).getTime()) return "A grace window can last at most 7 days after the rotation.";
  const capped = keyExpiresAt ? capGraceAtKeyExpiry(until, keyExpiresAt) : until;
  if (capped.getTime() <= prev.expiresAt!.getTime()) {
    return capped < until
      ? "The key itself expires before then: the window cannot last longer."
      : "Choose a time later than the current end of the window.";
  }
  return null;
}

export const latestExtension = (prev: PreviousCredential) => new Date(prev.rotatedAt!.getTime() + MAX_GRACE_MS);

/** The ends an owner may pick when extending, counted from the rotation (1, 2, 3 and 7 days). */
export const EXTENSION_STEPS_MS = [24 * HOUR, 48 * HOUR, 72 * HOUR, MAX_GRACE_MS] as const;

/**
 * The extension choices the key page offers: each one extensionError would accept now, so the page
 * never offers what the server refuses (none once extended, closed, or past the key's expiry).
 */
export function extendOptions(prev: PreviousCredential | null | undefined, now: Date, keyExpiresAt: Date): Date[] {
  if (!prev?.rotatedAt || prev.graceExtended || !isWindowOpen(prev, now)) return [];
  const rotatedAt = prev.rotatedAt.getTime();
  return EXTENSION_STEPS_MS.map((ms) => new Date(rotatedAt + ms)).filter(
    (until) => until.getTime() <= keyExpiresAt.getTime() && !extensionError(prev, until, now, keyExpiresAt),
  );
}

/**
 * What a bulk rotation does to one key. A key mid-rotation is left alone (its previous key keeps
 * working until its window ends) unless the owner chose to finish those windows first: then its
 * previous key stops at once and the key is rotated like the others.
 */
export type BulkRotationStep = "rotate" | "finish-window-and-rotate" | "leave-mid-rotation";
export const bulkRotationStep = (windowOpen: boolean, finishWindows: boolean): BulkRotationStep =>
  !windowOpen ? "rotate" : finishWindows ? "finish-window-and-rotate" : "leave-mid-rotation";

/** A key as a bulk action's page showed it. */
export interface ShownKey {
  keyId: string;
  version: number;
}

/**
 * A bulk action acts on exactly the keys its page showed, at the versions shown, or on none: a
 * second tab (or another owner) that got there first makes the whole batch stale.
 */
export function isStaleBatch(shown: readonly ShownKey[], current: readonly { id: string; version: number }[]): boolean {
  const seen = new Map(shown.map((s) => [s.keyId, s.version]));
  if (seen.size !== shown.length || shown.length !== current.length) return true;
  return current.some((k) => seen.get(k.id) !== k.version);
}
