import "server-only";
import { createHash } from "node:crypto";
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/core/errors";
import { appUrl } from "@/lib/core/app-url";
import { errorMessage, logger } from "@/lib/core/log";
import { PASSKEY_PREFIX, PASSKEY_REQUEST } from "./passkey-protocol";
import { checkStepUpCode, type StepUpProof } from "./step-up";
import { compareLockOrder, recordAudit } from "@/lib/audit/record";
import { enqueueSecurityMail } from "@/lib/mail/outbox";

// Passkeys (WebAuthn) next to the authenticator app: registration, sign-in with a discoverable
// credential, and step-up. Every ceremony answers a challenge stored in webauthn_challenges: single
// use, valid for 2 minutes, bound to its purpose (a step-up's purpose names the user, the merchant,
// the action and the key or batch it confirms). Parsing and signature checks are
// @simplewebauthn/server's; user verification is required every time.

export const CHALLENGE_TTL_MS = 120_000;

/** The relying party: its id and origin come from the portal's configured address (APP_URL). */
export function relyingParty() {
  const url = new URL(appUrl());
  return { rpID: url.hostname, origin: url.origin, rpName: "Keyport" };
}

const refused = (message: string) => new AppError("STEP_UP_INVALID", { message });
export const PASSKEY_REFUSED = "That passkey confirmation was not accepted. Try again.";

/** The step-up purpose: who confirms what, where. */
export function stepUpPurpose(userId: string, merchantId: string, action: string, subject: string) {
  return `step-up:${userId}:${merchantId}:${action}:${subject}`.slice(0, 300);
}

/** What an action's input confirms: its key, its batch of keys, its environment, or the merchant. */
export function subjectOf(input: unknown): string {
  const i = (input ?? {}) as Record<string, unknown>;
  if (typeof i.keyId === "string") return `key:${i.keyId}`;
  if (Array.isArray(i.keyIds))
    return `keys:${createHash("sha256")
      .update([...i.keyIds].map(String).sort().join(","))
      .digest("hex")
      .slice(0, 32)}`;
  if (typeof i.tokenId === "string") return `token:${i.tokenId}`;
  if (typeof i.environment === "string") return `env:${i.environment}`;
  return "merchant";
}

async function storeChallenge(db: Db | Tx, challenge: string, purpose: string, userId: string | null, now: Date) {
  await db.webauthnChallenge.create({ data: { challenge, purpose, userId, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) } });
}

/** The challenge a response answers, from its clientDataJSON (verified against the row after). */
function challengeOf(response: { response?: { clientDataJSON?: unknown } }): string | null {
  try {
    const data = JSON.parse(Buffer.from(String(response.response?.clientDataJSON ?? ""), "base64url").toString("utf8")) as {
      challenge?: unknown;
    };
    return typeof data.challenge === "string" && data.challenge.length <= 128 ? data.challenge : null;
  } catch {
    return null;
  }
}

/** The stored challenge for this purpose (and user), unused and unexpired; else a refusal. */
async function openChallenge(db: Db | Tx, challenge: string | null, purpose: string, userId: string | null, now: Date) {
  if (!challenge) throw refused(PASSKEY_REFUSED);
  const row = await db.webauthnChallenge.findUnique({ where: { challenge } });
  if (!row || row.usedAt || row.expiresAt <= now || row.purpose !== purpose || (userId !== null && row.userId !== userId))
    throw refused(PASSKEY_REFUSED);
  return row;
}

/** Marks a challenge used: exactly one of several concurrent uses wins. */
async function spendChallenge(tx: Db | Tx, id: string, now: Date) {
  const won = await tx.webauthnChallenge.updateMany({ where: { id, usedAt: null }, data: { usedAt: now } });
  if (won.count !== 1) throw refused(PASSKEY_REFUSED);
}

export async function listPasskeys(db: Db, userId: string) {
  return db.passkey.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, createdAt: true, lastUsedAt: true, backedUp: true, counterRegressedAt: true },
  });
}
export const hasPasskey = async (db: Db | Tx, userId: string) => (await db.passkey.count({ where: { userId } })) > 0;

/** "Add a passkey", first half: the browser's creation options (a discoverable credential, user verification required). */
export async function registrationOptions(db: Db, user: { id: string; email: string; name: string }, now = new Date()) {
  const rp = relyingParty();
  const existing = await db.passkey.findMany({ where: { userId: user.id }, select: { credentialId: true, transports: true } });
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: user.email,
    userDisplayName: user.name,
    userID: Buffer.from(user.id.replace(/-/g, ""), "hex"),
    attestationType: "none",
    excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: c.transports as never })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
  await storeChallenge(db, options.challenge, "register", user.id, now);
  return options;
}

/** Second half: the authenticator's answer, checked, and the passkey stored under its name. */
export async function registerPasskey(db: Db, userId: string, name: string, response: RegistrationResponseJSON, now = new Date()) {
  const rp = relyingParty();
  const row = await openChallenge(db, challengeOf(response), "register", userId, now);
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: row.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: true,
    });
  } catch (err) {
    logger().warn({ area: "passkeys", err: errorMessage(err) }, "passkey registration refused");
    throw refused("The passkey could not be registered. Try again.");
  }
  if (!verified.verified) throw refused("The passkey could not be registered. Try again.");
  const { credential, credentialDeviceType, credentialBackedUp } = verified.registrationInfo;
  return db.$transaction(async (tx) => {
    await spendChallenge(tx, row.id, now);
    if (await tx.passkey.findUnique({ where: { credentialId: credential.id }, select: { id: true } }))
      throw refused("This passkey is registered already.");
    await noteSecurityChange(tx, userId, "user.passkey_added", name, now);
    return tx.passkey.create({
      data: {
        userId,
        name,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey),
        counter: BigInt(credential.counter),
        transports: credential.transports ?? [],
        deviceType: credentialDeviceType,
        backedUp: credentialBackedUp,
        createdAt: now,
      },
      select: { id: true, name: true },
    });
  });
}

/** Request options for an assertion: the user's own passkeys, or any discoverable one (sign-in). */
export async function assertionOptions(db: Db, purpose: string, userId: string | null, now = new Date()) {
  const rp = relyingParty();
  const allow = userId
    ? (await db.passkey.findMany({ where: { userId }, select: { credentialId: true, transports: true } })).map((c) => ({
        id: c.credentialId,
        transports: c.transports as never,
      }))
    : [];
  if (userId && !allow.length) throw new AppError("STEP_UP_REQUIRED", { message: "You have no passkey. Add one on the Security page." });
  const options = await generateAuthenticationOptions({ rpID: rp.rpID, userVerification: "required", allowCredentials: allow });
  await storeChallenge(db, options.challenge, purpose, userId, now);
  return options;
}

export type PasskeyProof = { kind: "passkey"; challengeId: string; passkeyId: string; userId: string; newCounter: number };

/**
 * Checks an assertion without spending it: its challenge (this purpose, this user, unused, not
 * expired), its passkey (this user's, when one is given), the signature over this origin and RP id,
 * user verification, and a counter that moves forward (one that goes back is flagged on the
 * passkey and refused).
 */
export async function checkAssertion(
  db: Db,
  raw: unknown,
  purpose: string,
  userId: string | null,
  now = new Date(),
): Promise<PasskeyProof> {
  const response = raw as AuthenticationResponseJSON;
  if (!response || typeof response !== "object" || typeof response.id !== "string") throw refused(PASSKEY_REFUSED);
  const row = await openChallenge(db, challengeOf(response), purpose, userId, now);
  const passkey = await db.passkey.findUnique({ where: { credentialId: response.id } });
  if (!passkey || (userId !== null && passkey.userId !== userId)) throw refused(PASSKEY_REFUSED);
  const rp = relyingParty();
  let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: row.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: true,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: Number(passkey.counter),
        transports: passkey.transports as never,
      },
    });
  } catch (err) {
    const message = errorMessage(err);
    if (/counter/i.test(message)) await db.passkey.update({ where: { id: passkey.id }, data: { counterRegressedAt: now } });
    logger().warn({ area: "passkeys", err: message }, "passkey assertion refused");
    throw refused(PASSKEY_REFUSED);
  }
  if (!verified.verified || !verified.authenticationInfo.userVerified) throw refused(PASSKEY_REFUSED);
  return {
    kind: "passkey",
    challengeId: row.id,
    passkeyId: passkey.id,
    userId: passkey.userId,
    newCounter: verified.authenticationInfo.newCounter,
  };
}

/** Spends a checked assertion inside the change's transaction: the challenge once, the counter forward. */
/**
 * Spends a checked assertion: its challenge, once, and the passkey's new counter. `passkeyGone`:
 * the change that this assertion confirmed removed that very passkey, so only the challenge is left
 * to spend.
 */
export async function spendAssertion(tx: Db | Tx, proof: PasskeyProof, now = new Date(), { passkeyGone = false } = {}) {
  await spendChallenge(tx, proof.challengeId, now);
  if (!passkeyGone)
    await tx.passkey.update({ where: { id: proof.passkeyId }, data: { counter: BigInt(proof.newCounter), lastUsedAt: now } });
}

/**
 * One step-up "code" of a user's own: "passkey" asks for a challenge bound to `purpose` (answered as
 * PASSKEY_CHALLENGE with the browser's options), an assertion is checked against that challenge,
 * and anything else is an authenticator or recovery code. The proof is spent inside the change.
 */
export async function checkCodeOrPasskey(db: Db, userId: string, otp: string, purpose: string): Promise<StepUpProof | PasskeyProof> {
  if (otp === PASSKEY_REQUEST)
    throw new AppError("PASSKEY_CHALLENGE", { message: JSON.stringify(await assertionOptions(db, purpose, userId)) });
  const assertion = assertionOf(otp);
  return assertion !== null ? checkAssertion(db, assertion, purpose, userId) : checkStepUpCode(db, userId, otp);
}

/** A step-up "code" carrying an assertion ("pk:" + JSON), decoded; null for anything else. */
export function assertionOf(code: string | undefined): unknown {
  if (!code?.startsWith(PASSKEY_PREFIX)) return null;
  try {
    return JSON.parse(code.slice(PASSKEY_PREFIX.length));
  } catch {
    return {};
  }
}

export async function removePasskey(tx: Tx, userId: string, passkeyId: string, now = new Date()) {
  const found = await tx.passkey.findFirst({ where: { id: passkeyId, userId }, select: { name: true } });
  const gone = await tx.passkey.deleteMany({ where: { id: passkeyId, userId } });
  if (!found || gone.count !== 1) throw new AppError("NOT_FOUND", { message: "This passkey does not exist." });
  await noteSecurityChange(tx, userId, "user.passkey_removed", found.name, now);
}

/**
 * A passkey added or removed: an audit row on every merchant the user is a member of (their owners
 * see a member's second factor change), in lock order, and a mail to the user.
 */
async function noteSecurityChange(tx: Tx, userId: string, action: "user.passkey_added" | "user.passkey_removed", name: string, now: Date) {
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  const memberships = await tx.membership.findMany({
    where: { userId },
    select: { merchantId: true, merchant: { select: { parentId: true } } },
  });
  const merchants = memberships.map((m) => ({ merchantId: m.merchantId, parentId: m.merchant.parentId })).sort(compareLockOrder);
  for (const m of merchants)
    await recordAudit(tx, { userId, email: user.email }, { merchantId: m.merchantId, action, after: { passkey: name } });
  await enqueueSecurityMail(
    tx,
    [user.email],
    {
      event: action === "user.passkey_added" ? "passkey-added" : "passkey-removed",
      subject: name,
      actor: user.email,
      at: now.toISOString(),
    },
    `${action}:${userId}:${now.getTime()}`,
  );
}
