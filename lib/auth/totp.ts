import { createGuardrails, generate, generateSecret, generateURI, verify } from "otplib";

// RFC 6238: SHA-1, 6 digits, 30-second steps. The current step and one either side are accepted.
export const TOTP_PERIOD = 30;
export const TOTP_TOLERANCE_S = 30;

// otplib refuses secrets under 16 bytes by default. Keyport generates 20-byte secrets, but
// common authenticator set-ups (and the documented demo secret) use 10 bytes, so 10 is accepted.
const guardrails = createGuardrails({ MIN_SECRET_BYTES: 10 });

export const newTotpSecret = () => generateSecret({ length: 20 });

export const totpUri = (secret: string, account: string) =>
  generateURI({ issuer: "Keyport", label: account, secret, period: TOTP_PERIOD, digits: 6, algorithm: "sha1" });

/** The time step a code belongs to (current ±1), or null when it matches none. */
export async function matchTotp(secret: string, token: string, now = new Date()): Promise<number | null> {
  if (!/^\d{6}$/.test(token)) return null;
  try {
    const res = await verify({ secret, token, epoch: Math.floor(now.getTime() / 1000), epochTolerance: TOTP_TOLERANCE_S, guardrails });
    return res.valid && "timeStep" in res ? Number(res.timeStep) : null;
  } catch {
    return null;
  }
}

/** The code for a given moment (tests and the seeded demo owner's docs). */
export const totpAt = (secret: string, at: Date, digits: 6 | 8 = 6) =>
  generate({ secret, epoch: Math.floor(at.getTime() / 1000), digits, period: TOTP_PERIOD, algorithm: "sha1", guardrails });
