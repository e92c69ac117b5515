// Pure rules of rotation, rollback and extension (DESIGN.md §3, rules 7–10).
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

export interface PreviousCredential {
  expiresAt: Date | null;
  rotatedAt: Date | null;
  graceExtended: boolean;
}

/** The window is open while the previous credential has not expired. */
export const isWindowOpen = (prev: PreviousCredential | null | undefined, now: Date) =>
  !!prev?.expiresAt && prev.expiresAt.getTime() > now.getTime();

/** Rollback only while the previous credential is still valid: an expired one never comes back. */
export const canRollback = isWindowOpen;

/** Extension: once, only while open, later than now's end, and at most 7 days after the rotation. */
export function extensionError(prev: PreviousCredential | null | undefined, until: Date, now: Date): string | null {
  if (!prev || !isWindowOpen(prev, now) || !prev.rotatedAt) return "There is no open grace window to extend.";
  if (prev.graceExtended) return "This grace window has already been extended once.";
  if (until.getTime() <= prev.expiresAt!.getTime()) return "Choose a time later than the current end of the window.";
  if (until.getTime() > prev.rotatedAt.getTime() + MAX_GRACE_MS) return "A grace window can last at most 7 days after the rotation.";
  return null;
}

export const latestExtension = (prev: PreviousCredential) => new Date(prev.rotatedAt!.getTime() + MAX_GRACE_MS);
