"use server";
import QRCode from "qrcode";
import { z } from "zod";
import { getSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { confirmEnrollment, disableTotp, startEnrollment } from "@/lib/auth/enrollment";
import { ERROR_MESSAGES } from "@/lib/core/errors";
import { actionFailure, type ActionResult } from "./safe-action";

const codeSchema = z.strictObject({ code: z.string().trim().min(1, "Enter the code from your authenticator app.").max(20) });
const passwordSchema = z.strictObject({ password: z.string().min(1, "Enter your password.").max(200) });

async function asUser<T>(run: (user: { id: string; email: string }) => Promise<T>): Promise<ActionResult<T>> {
  const user = await getSessionUser();
  if (!user) return { ok: false, code: "UNAUTHENTICATED", error: ERROR_MESSAGES.UNAUTHENTICATED };
  try {
    return { ok: true, data: await run(user) };
  } catch (err) {
    return actionFailure(err);
  }
}

/**
 * The secret as a QR code of its otpauth:// URI and as text: shown while enrolling only, and only
 * after the password is entered again (a stolen session must not bind its own authenticator).
 */
export async function startEnrollmentAction(input: unknown): Promise<ActionResult<{ secret: string; qr: string }>> {
  return asUser(async (user) => {
    const { secret, uri } = await startEnrollment(await getDb(), user, passwordSchema.parse(input).password);
    return { secret, qr: await QRCode.toDataURL(uri, { margin: 1, width: 200 }) };
  });
}

export async function confirmEnrollmentAction(input: unknown): Promise<ActionResult<{ recoveryCodes: string[] }>> {
  return asUser(async (user) => ({ recoveryCodes: await confirmEnrollment(await getDb(), user.id, codeSchema.parse(input).code) }));
}

/** Turning TOTP off (or resetting it: off, then enrol again) needs a current code. */
export async function disableTotpAction(input: unknown): Promise<ActionResult<null>> {
  return asUser(async (user) => {
    await disableTotp(await getDb(), user.id, codeSchema.parse(input).code);
    return null;
  });
}
