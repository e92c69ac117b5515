import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { authSecret } from "./secret";

// Between the password step and the code step of a sign-in, the browser holds this short-lived,
// signed proof that the password was right, never the password itself.
const TTL_MS = 5 * 60_000;

const sign = (payload: string) => createHmac("sha256", authSecret()).update(`login-challenge:${payload}`).digest("base64url");

export function issueLoginChallenge(userId: string, now = Date.now()): string {
  const payload = `${userId}.${now + TTL_MS}`;
  return `${payload}.${sign(payload)}`;
}

export function readLoginChallenge(token: unknown, now = Date.now()): string | null {
  if (typeof token !== "string" || token.length > 200) return null;
  const [userId, exp, mac] = token.split(".");
  if (!userId || !exp || !mac) return null;
  const expected = sign(`${userId}.${exp}`);
  if (mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) return null;
  return Number(exp) > now ? userId : null;
}
