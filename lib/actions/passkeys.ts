"use server";
import { z } from "zod";
import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { confirmPassword } from "@/lib/auth/enrollment";
import { checkCodeOrPasskey, registerPasskey, registrationOptions, removePasskey, spendAssertion } from "@/lib/auth/passkeys";
import { spendStepUpCode } from "@/lib/auth/step-up";
import { AppError } from "@/lib/core/errors";
import { ownsPasskeyMerchant } from "@/lib/auth/passkey-policy";
import { CONTROL_CHARS } from "@/lib/keys/schema";
import { defineUserAction } from "./safe-action";

const nameField = z
  .string()
  .trim()
  .min(1, "Name the passkey, e.g. “MacBook Touch ID”.")
  .max(60, "Use at most 60 characters.")
  .refine((s) => !CONTROL_CHARS.test(s), { error: "Remove control characters." });

/** "Add a passkey", first step: the password again (as for an authenticator app), then the browser's options. */
export const passkeyRegistrationOptionsAction = defineUserAction({
  schema: z.strictObject({ name: nameField, password: z.string().min(1, "Enter your password.").max(200) }),
  run: async ({ user, db, input }) => {
    await confirmPassword(db, user, input.password);
    const full = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { id: true, email: true, name: true } });
    return { options: await registrationOptions(db, full) };
  },
});

/** Second step: the authenticator's answer, checked by @simplewebauthn/server, stored under its name. */
export const registerPasskeyAction = defineUserAction({
  schema: z.strictObject({ name: nameField, response: z.record(z.string(), z.unknown()) }),
  run: ({ user, db, input }) => registerPasskey(db, user.id, input.name, input.response as unknown as RegistrationResponseJSON),
});

/**
 * Removing a passkey needs step-up: a current authenticator code (or recovery code), or the
 * assertion of a passkey (this one or another) to a challenge bound to this removal.
 */
export const removePasskeyAction = defineUserAction({
  schema: z.strictObject({ passkeyId: z.uuid(), otp: z.string().max(8000).optional() }),
  run: async ({ user, db, input }) => {
    const owned = await db.passkey.findFirst({ where: { id: input.passkeyId, userId: user.id }, select: { id: true } });
    if (!owned) throw new AppError("NOT_FOUND", { message: "This passkey does not exist." });
    const purpose = `remove-passkey:${user.id}:${input.passkeyId}`;
    // An owner of a merchant that requires passkeys keeps at least one.
    if ((await db.passkey.count({ where: { userId: user.id } })) === 1 && (await ownsPasskeyMerchant(db, user.id)))
      throw new AppError("VALIDATION", {
        message: "This is your last passkey, and a merchant you own requires one for step-up: add another first, or turn that off.",
      });
    if (!input.otp) throw new AppError("STEP_UP_REQUIRED");
    const proof = await checkCodeOrPasskey(db, user.id, input.otp, purpose);
    await db.$transaction(async (tx) => {
      await removePasskey(tx, user.id, input.passkeyId);
      // The passkey that confirmed may be the one removed: then only its challenge is spent.
      if (proof.kind === "passkey") await spendAssertion(tx, proof, new Date(), { passkeyGone: proof.passkeyId === input.passkeyId });
      else await spendStepUpCode(tx, user.id, proof);
    });
    return null;
  },
});
