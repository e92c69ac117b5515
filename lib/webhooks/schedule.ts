import { env, isProduction } from "@/lib/env";

const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;

/** The wait after each failed attempt: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; then no more. */
export const RETRY_SCHEDULE_MS = [5 * S, 5 * MIN, 30 * MIN, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR] as const;
/** The first try and one per step of the schedule. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;
/** An endpoint with no success for this long (and failing now) is disabled and its owners are mailed. */
export const AUTO_DISABLE_AFTER_MS = 3 * 24 * HOUR;
/** A delivery's whole request, connection to the last byte read. */
export const DELIVERY_TIMEOUT_MS = 10 * S;
/** How much of an answer each attempt keeps. */
export const RESPONSE_KEPT_BYTES = 1024;

/**
 * The wait after `attempts` failed attempts. Tests shorten it with KEYPORT_WEBHOOK_BACKOFF_SCALE
 * (0.001 turns 5 min into 0.3 s); production always uses the schedule as it is.
 */
export function retryDelayMs(attempts: number, scale = isProduction() ? 1 : (env().KEYPORT_WEBHOOK_BACKOFF_SCALE ?? 1)): number {
  const step = RETRY_SCHEDULE_MS[Math.min(Math.max(attempts, 1), RETRY_SCHEDULE_MS.length) - 1];
  return Math.round(step * scale);
}

/** Whether an endpoint failing since `failingSince` has failed long enough to be switched off. */
export const failedTooLong = (failingSince: Date, now: Date) => now.getTime() - failingSince.getTime() >= AUTO_DISABLE_AFTER_MS;
