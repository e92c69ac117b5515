// One rule for counting failures, used by sign-in and by step-up codes: the fifth failure within
// 15 minutes of the first one locks for 15 minutes.
export const MAX_FAILURES = 5;
export const LOCK_WINDOW_MS = 15 * 60_000;

export interface FailureCounter {
  count: number;
  windowStartedAt: Date | null;
  lockedUntil: Date | null;
}

/** Pure: the counter after one more failure. */
export function countFailure(c: FailureCounter, now: Date): FailureCounter {
  const open = !!c.windowStartedAt && now.getTime() - c.windowStartedAt.getTime() < LOCK_WINDOW_MS;
  const count = open ? c.count + 1 : 1;
  return {
    count,
    windowStartedAt: open ? c.windowStartedAt : now,
    lockedUntil: count >= MAX_FAILURES ? new Date(now.getTime() + LOCK_WINDOW_MS) : null,
  };
}
