// Pure rules of rotation, rollback and extension (docs/design.md §3, rules 7–11).
import { isAllowed, isExpired } from "./rules";
import type { KeyStatus } from "./types";

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

/**
 * A dialog's grace choice as the option it names. The radios are built from GRACE_OPTIONS, so
 * anything else is a programming error, not input: it throws instead of rotating with a guess.
 */
export function graceOption(choice: string | undefined): GraceOption {
  const o = GRACE_OPTIONS.find((g) => g.value === choice);
  if (!o) throw new Error(`Not a grace window: ${choice}`);
  return o.value;
}

/** When the previous credential stops working. "Now" stops it at once. */
export function graceEnd(option: GraceOption, now: Date): Date {
  const o = GRACE_OPTIONS.find((g) => g.value === option);
  if (!o) throw new Error(`Unknown grace option ${option}`);
  return new Date(now.getTime() + o.ms);
}

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

/** Why a rotation step is refused: the typed error the services throw, and the pages' reason. */
export type RotationRefusal = "INVALID_TRANSITION" | "KEY_EXPIRED" | "ROTATION_IN_PROGRESS" | "ROLLBACK_UNAVAILABLE" | "EXTEND_UNAVAILABLE";
export type RotationAnswer = { ok: true } | { ok: false; reason: RotationRefusal };

export interface RotationState {
  /** A previous credential still works. */
  windowOpen: boolean;
  /** A new credential, the old one kept for a grace window (§3 rule 7). */
  rotate: RotationAnswer;
  /** A new credential at once, replacing an open window's previous one too (rule 9). */
  regenerate: RotationAnswer;
  /** Only while the previous credential is still valid: an expired one never comes back (rule 8). */
  rollback: RotationAnswer;
  /** Once, while open (rule 10); `extendOptions` are the ends the server would accept now. */
  extend: RotationAnswer;
  extendOptions: Date[];
  /** "Revoke previous key now" ends an open window early; once it has ended there is nothing to revoke. */
  revokePrevious: RotationAnswer;
}

const yes: RotationAnswer = { ok: true };
const no = (reason: RotationRefusal): RotationAnswer => ({ ok: false, reason });

/**
 * The one answer to "what may happen to this key's credentials now?" (§3 rules 7–11). Services
 * enforce it under the key's row lock; pages, cards and bulk actions only read it. A revoked key
 * changes never again; an expired key fails verification whatever its credentials, so a new
 * secret for it would never work; a second rotation while a window is open would silently drop a
 * working key.
 */
export function rotationState(
  key: { status: KeyStatus; expiresAt: Date },
  previous: PreviousCredential | null | undefined,
  now: Date,
): RotationState {
  const windowOpen = isWindowOpen(previous, now);
  // The lifecycle table first (a revoked key: INVALID_TRANSITION), then time.
  const fresh = (action: "rotate" | "regenerate"): RotationAnswer =>
    !isAllowed(key.status, action) ? no("INVALID_TRANSITION") : isExpired(key.expiresAt, now) ? no("KEY_EXPIRED") : yes;
  const inWindow = (action: "rollback" | "revokePrevious", refusal: RotationRefusal): RotationAnswer =>
    !isAllowed(key.status, action) ? no("INVALID_TRANSITION") : windowOpen ? yes : no(refusal);
  const rotate = fresh("rotate");
  const options = isAllowed(key.status, "extend") ? extendOptions(previous, now, key.expiresAt) : [];
  return {
    windowOpen,
    rotate: rotate.ok && windowOpen ? no("ROTATION_IN_PROGRESS") : rotate,
    regenerate: fresh("regenerate"),
    rollback: inWindow("rollback", "ROLLBACK_UNAVAILABLE"),
    extend: !isAllowed(key.status, "extend") ? no("INVALID_TRANSITION") : options.length ? yes : no("EXTEND_UNAVAILABLE"),
    extendOptions: options,
    revokePrevious: inWindow("revokePrevious", "INVALID_TRANSITION"),
  };
}

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
