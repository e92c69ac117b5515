// Authenticator codes for the e2e suite. The app refuses a time step it has already accepted for
// a user (replay protection), so each user's codes are handed out under a lock shared by all
// workers: each call gets a step no other call got. A user has three usable steps at a time (the
// previous, the current and the next), which is why the tests acting as an owner each lease an
// owner of their own (e2e/owners.ts) instead of all queueing for the demo owner's next step.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createGuardrails, generate } from "otplib";

const guardrails = createGuardrails({ MIN_SECRET_BYTES: 10 });

export const DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP";
const dir = () => join(process.env.KEYPORT_E2E_DATA_DIR!, "otp");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function withLock<T>(email: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dir(), { recursive: true });
  const lock = join(dir(), `${email}.lock`);
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (i > 12_000) throw new Error("otp lock timeout");
      await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const secrets = () => join(dir(), "secrets.json");
export function rememberSecret(email: string, secret: string) {
  mkdirSync(dir(), { recursive: true });
  const all = existsSync(secrets()) ? JSON.parse(readFileSync(secrets(), "utf8")) : {};
  writeFileSync(secrets(), JSON.stringify({ ...all, [email]: secret }));
}
export function secretFor(email: string): string | undefined {
  // The demo owner, and the suite's pool of owners made from it (e2e/owners.ts), share the public demo seed.
  if (email === "owner@acme.test" || /^qa-owner-\d+@acme\.test$/.test(email)) return DEMO_TOTP_SECRET;
  return existsSync(secrets()) ? JSON.parse(readFileSync(secrets(), "utf8"))[email] : undefined;
}

/**
 * A valid code for a step this user has not used yet: the previous step while more than 8 seconds
 * of the current one are left (so it cannot lapse in flight), else the current or the next one;
 * waits for a new step if all are taken.
 */
export async function freshCode(email: string, secret = secretFor(email)!): Promise<string> {
  return withLock(email, async () => {
    const file = join(dir(), `${email}.step`);
    const last = existsSync(file) ? Number(readFileSync(file, "utf8")) : 0;
    for (;;) {
      const now = Math.floor(Date.now() / 30_000);
      const left = (now + 1) * 30_000 - Date.now();
      const step = Math.max(last + 1, left > 8_000 ? now - 1 : now);
      if (step <= now + 1) {
        writeFileSync(file, String(step));
        return generate({ secret, epoch: step * 30, digits: 6, period: 30, algorithm: "sha1", guardrails });
      }
      await sleep(500);
    }
  });
}
