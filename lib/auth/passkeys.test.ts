// Passkeys on the server, against a software authenticator (a P-256 key; CBOR by the WebAuthn
// library's own encoder): registration, sign-in and step-up, and each way an assertion is refused.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isoCBOR } from "@simplewebauthn/server/helpers";
import type { Database } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/testing/db";
import { createActor } from "@/prisma/factories";
import { AppError } from "@/lib/core/errors";
import {
  assertionOptions,
  checkAssertion,
  registerPasskey,
  registrationOptions,
  relyingParty,
  spendAssertion,
  stepUpPurpose,
} from "./passkeys";
import { checkOwnerStepUp, withOwnerStepUp } from "./owner-step-up";
import { PASSKEY_PREFIX, PASSKEY_REQUEST } from "./passkey-protocol";
import { encrypt } from "@/lib/crypto/encryption";
import { totpAt } from "./totp";
import { hashRecoveryCode } from "./recovery-codes";
import { PASSKEY_REQUIRED_MESSAGE } from "./passkey-policy";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

const b64 = (b: Uint8Array | Buffer) => Buffer.from(b).toString("base64url");
const sha256 = (b: Uint8Array | Buffer | string) => createHash("sha256").update(b).digest();

/** A software authenticator with one credential. */
class Authenticator {
  readonly id = randomBytes(16);
  private keys = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  counter = 0;

  private authData(rpID: string, flags: number, extra = Buffer.alloc(0)) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(this.counter);
    return Buffer.concat([sha256(rpID), Buffer.from([flags]), c, extra]);
  }

  register(challenge: string, { origin = relyingParty().origin, rpID = relyingParty().rpID } = {}) {
    const jwk = this.keys.publicKey.export({ format: "jwk" }) as { x: string; y: string };
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x, "base64url")],
        [-3, Buffer.from(jwk.y, "base64url")],
      ]),
    );
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(this.id.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLen, this.id, Buffer.from(cose)]);
    const authData = this.authData(rpID, 0x01 | 0x04 | 0x40, attested);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]) as never,
    );
    const clientData = JSON.stringify({ type: "webauthn.create", challenge, origin, crossOrigin: false });
    return {
      id: b64(this.id),
      rawId: b64(this.id),
      type: "public-key" as const,
      response: {
        clientDataJSON: b64(Buffer.from(clientData)),
        attestationObject: b64(attestationObject),
        transports: ["internal" as const],
      },
      clientExtensionResults: {},
    };
  }

  assert(
    challenge: string,
    {
      origin = relyingParty().origin,
      rpID = relyingParty().rpID,
      uv = true,
      counter = this.counter + 1,
      key = this.keys.privateKey as KeyObject,
    } = {},
  ) {
    this.counter = counter;
    const authData = this.authData(rpID, 0x01 | (uv ? 0x04 : 0));
    const clientData = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge, origin, crossOrigin: false }));
    const signature = sign("sha256", Buffer.concat([authData, sha256(clientData)]), { key, dsaEncoding: "der" });
    return {
      id: b64(this.id),
      rawId: b64(this.id),
      type: "public-key" as const,
      response: { clientDataJSON: b64(clientData), authenticatorData: b64(authData), signature: b64(signature) },
      clientExtensionResults: {},
    };
  }
}

async function ownerWithPasskey() {
  const owner = await createActor(db.prisma, "OWNER");
  const user = await db.prisma.user.findUniqueOrThrow({ where: { id: owner.userId } });
  const auth = new Authenticator();
  const options = await registrationOptions(db.prisma, user);
  expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
  await registerPasskey(db.prisma, owner.userId, "Test key", auth.register(options.challenge) as never);
  return { owner, auth };
}
const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return "accepted";
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
};
/** The challenge a step-up asks for, for this action and key. */
async function stepUpChallenge(owner: Awaited<ReturnType<typeof createActor>>, subject: string) {
  const err = await checkOwnerStepUp(db.prisma, owner, PASSKEY_REQUEST, () => true, { binding: { action: "keys.rotate", subject } }).catch(
    (e) => e as AppError,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe("PASSKEY_CHALLENGE");
  return JSON.parse((err as AppError).message) as { challenge: string; userVerification: string; allowCredentials: unknown[] };
}
const run = (owner: Awaited<ReturnType<typeof createActor>>, assertion: unknown, subject: string) =>
  withOwnerStepUp(db.prisma, owner, `${PASSKEY_PREFIX}${JSON.stringify(assertion)}`, async () => "changed", "keys.rotate", {
    binding: { action: "keys.rotate", subject },
  });

describe("passkeys", () => {
  it("register, then confirm a step-up: the challenge is single use and bound to its action and key", async () => {
    const { owner, auth } = await ownerWithPasskey();
    const options = await stepUpChallenge(owner, "key:A");
    expect(options.userVerification).toBe("required");
    expect(options.allowCredentials).toHaveLength(1);
    const assertion = auth.assert(options.challenge);
    // Used for another key: refused, and still unused for its own.
    expect(await codeOf(run(owner, assertion, "key:B"))).toBe("STEP_UP_INVALID");
    expect(await run(owner, assertion, "key:A")).toBe("changed");
    // Replayed: refused.
    expect(await codeOf(run(owner, assertion, "key:A"))).toBe("STEP_UP_INVALID");
    const stored = await db.prisma.passkey.findFirstOrThrow({ where: { userId: owner.userId } });
    expect([Number(stored.counter), stored.lastUsedAt !== null]).toEqual([1, true]);
    // The registration is audited on the user's merchant and mailed to them.
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { merchantId: owner.merchantId, action: "user.passkey_added" } });
    expect(audit.after).toEqual({ passkey: "Test key" });
    const mail = await db.prisma.outboxMail.findFirstOrThrow({ where: { toAddress: owner.email, template: "security-changed" } });
    expect(mail.subject).toBe("[Keyport] A passkey was added to your account: Test key");
  });

  it("refuses an expired challenge, another origin, another RP id, a missing user verification and another key's signature", async () => {
    const { owner, auth } = await ownerWithPasskey();
    const purpose = stepUpPurpose(owner.userId, owner.merchantId, "keys.rotate", "key:A");
    const cases: [string, (challenge: string) => unknown, Date?][] = [
      ["expired", (c) => auth.assert(c), new Date(Date.now() + 121_000)],
      ["another origin", (c) => auth.assert(c, { origin: "https://keyport.evil.test" })],
      ["another RP id", (c) => auth.assert(c, { rpID: "evil.test" })],
      ["no user verification", (c) => auth.assert(c, { uv: false })],
      ["another key's signature", (c) => auth.assert(c, { key: generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey })],
    ];
    for (const [name, make, at] of cases) {
      const { challenge } = await assertionOptions(db.prisma, purpose, owner.userId);
      expect(await codeOf(checkAssertion(db.prisma, make(challenge), purpose, owner.userId, at)), name).toBe("STEP_UP_INVALID");
    }
    // The control: a right assertion to a fresh challenge passes.
    const { challenge } = await assertionOptions(db.prisma, purpose, owner.userId);
    expect(await codeOf(checkAssertion(db.prisma, auth.assert(challenge), purpose, owner.userId))).toBe("accepted");
  });

  it("a counter that goes backwards is refused and flagged on the passkey", async () => {
    const { owner, auth } = await ownerWithPasskey();
    const purpose = stepUpPurpose(owner.userId, owner.merchantId, "keys.rotate", "merchant");
    let { challenge } = await assertionOptions(db.prisma, purpose, owner.userId);
    await spendAssertion(db.prisma, await checkAssertion(db.prisma, auth.assert(challenge, { counter: 5 }), purpose, owner.userId));
    ({ challenge } = await assertionOptions(db.prisma, purpose, owner.userId));
    expect(await codeOf(checkAssertion(db.prisma, auth.assert(challenge, { counter: 3 }), purpose, owner.userId))).toBe("STEP_UP_INVALID");
    expect((await db.prisma.passkey.findFirstOrThrow({ where: { userId: owner.userId } })).counterRegressedAt).not.toBeNull();
  });

  it("sign-in: any passkey of the site answers a sign-in challenge and names its user; another user's step-up challenge is not one", async () => {
    const { owner, auth } = await ownerWithPasskey();
    const { challenge } = await assertionOptions(db.prisma, "sign-in", null);
    const proof = await checkAssertion(db.prisma, auth.assert(challenge), "sign-in", null);
    expect(proof.userId).toBe(owner.userId);
    const other = await ownerWithPasskey();
    const purpose = stepUpPurpose(other.owner.userId, other.owner.merchantId, "keys.rotate", "merchant");
    const theirs = await assertionOptions(db.prisma, purpose, other.owner.userId);
    // My passkey, their challenge: refused whichever purpose it is presented for.
    expect(await codeOf(checkAssertion(db.prisma, auth.assert(theirs.challenge), purpose, other.owner.userId))).toBe("STEP_UP_INVALID");
    expect(await codeOf(checkAssertion(db.prisma, auth.assert(theirs.challenge), "sign-in", null))).toBe("STEP_UP_INVALID");
  });

  it("'Require a passkey for step-up': a right authenticator code is refused and stays unspent; a recovery code works and is audited", async () => {
    const { owner, auth } = await ownerWithPasskey();
    const TOTP = "JBSWY3DPEHPK3PXP";
    await db.prisma.totpEnrollment.create({ data: { userId: owner.userId, secretEnc: encrypt(TOTP), confirmedAt: new Date() } });
    await db.prisma.recoveryCode.create({ data: { userId: owner.userId, codeHash: hashRecoveryCode("abcde12345") } });
    const step = (otp: string) => withOwnerStepUp(db.prisma, owner, otp, async () => "changed", "keys.rotate");
    const code = await totpAt(TOTP, new Date());
    // Under the policy the right code is refused; without it, the same code confirms (the control).
    await db.prisma.merchant.update({ where: { id: owner.merchantId }, data: { requirePasskey: true } });
    const refused = await step(code).catch((e) => e as AppError);
    expect(refused).toBeInstanceOf(AppError);
    expect([(refused as AppError).code, (refused as AppError).message]).toEqual(["STEP_UP_INVALID", PASSKEY_REQUIRED_MESSAGE]);
    expect((await db.prisma.totpEnrollment.findUniqueOrThrow({ where: { userId: owner.userId } })).lastUsedStep).toBeNull();
    await db.prisma.merchant.update({ where: { id: owner.merchantId }, data: { requirePasskey: false } });
    expect(await step(code)).toBe("changed");
    await db.prisma.merchant.update({ where: { id: owner.merchantId }, data: { requirePasskey: true } });
    expect(await step("abcde-12345")).toBe("changed");
    expect(await db.prisma.auditEvent.count({ where: { merchantId: owner.merchantId, action: "step_up.recovery_code_used" } })).toBe(1);
    const options = await stepUpChallenge(owner, "merchant");
    expect(await step(`${PASSKEY_PREFIX}${JSON.stringify(auth.assert(options.challenge))}`)).toBe("changed");
  });
});
