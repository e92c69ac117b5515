import { getDb } from "@/lib/db/client";
import { RateLimiterRes, sharedLimiter } from "@/lib/limits/shared-limiter";

// Per token, across every process and instance (the counters live in PostgreSQL): 600 requests a
// minute unless KEYPORT_API_RATE_LIMIT says otherwise.
export const DEFAULT_API_RATE_LIMIT = 600;
const WINDOW_S = 60;

const limitFrom = (v: string | undefined) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_API_RATE_LIMIT;
};

let limiter: { points: number; rl: ReturnType<typeof sharedLimiter> } | undefined;
function current() {
  const points = limitFrom(process.env.KEYPORT_API_RATE_LIMIT);
  if (limiter?.points !== points)
    limiter = { points, rl: sharedLimiter(getDb, { keyPrefix: `api-token:${points}`, points, duration: WINDOW_S }) };
  return limiter;
}

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

/** Counts one request of the token; the RateLimit-* headers go on every answer, Retry-After on a refusal. */
export async function takeRequest(tokenId: string): Promise<RateDecision> {
  const { points, rl } = current();
  let res: RateLimiterRes;
  let allowed = true;
  try {
    res = await rl.consume(tokenId);
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    res = err;
    allowed = false;
  }
  const reset = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  const headers: Record<string, string> = {
    "ratelimit-limit": String(points),
    "ratelimit-remaining": String(Math.max(0, res.remainingPoints)),
    "ratelimit-reset": String(reset),
    "ratelimit-policy": `${points};w=${WINDOW_S}`,
  };
  if (!allowed) headers["retry-after"] = String(reset);
  return { allowed, headers };
}
