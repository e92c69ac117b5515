"use server";
import QRCode from "qrcode";
import { confirmEnrollment, disableTotp, startEnrollment } from "@/lib/auth/enrollment";
import { passwordAgainSchema, totpCodeSchema } from "@/lib/auth/schema";
import { defineUserAction } from "./safe-action";

/**
 * The secret as a QR code of its otpauth:// URI and as text: shown while enrolling only, and only
 * after the password is entered again (a stolen session must not bind its own authenticator).
 */
export const startEnrollmentAction = defineUserAction({
  schema: passwordAgainSchema,
  run: async ({ user, db, input }) => {
    const { secret, uri } = await startEnrollment(db, user, input.password);
    return { secret, qr: await QRCode.toDataURL(uri, { margin: 1, width: 200 }) };
  },
});

export const confirmEnrollmentAction = defineUserAction({
  schema: totpCodeSchema,
  run: async ({ user, db, input }) => ({ recoveryCodes: await confirmEnrollment(db, user.id, input.code) }),
});

/** Turning TOTP off (or resetting it: off, then enrol again) needs a current code. */
export const disableTotpAction = defineUserAction({
  schema: totpCodeSchema,
  run: ({ user, db, input }) => disableTotp(db, user.id, input.code),
  result: () => null,
});
