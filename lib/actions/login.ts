"use server";
import { AuthError } from "next-auth";
import { loginSchema, signIn } from "@/lib/auth/next-auth";
import { LOGIN_MESSAGES } from "@/lib/auth/messages";
import { authenticate, LoginError } from "@/lib/auth/login";
import { hasTotp } from "@/lib/auth/step-up";
import { issueLoginChallenge, readLoginChallenge } from "@/lib/auth/login-challenge";
import { getDb } from "@/lib/db/client";
import { sameOriginPath } from "@/lib/server/same-origin-path";
import { assertionOptions } from "@/lib/auth/passkeys";

export type LoginState = {
  error?: string;
  fieldErrors?: { email?: string; password?: string; otp?: string };
  email?: string;
  /** Set when the password was right and an authenticator code is needed next. */
  challenge?: string;
};

/** Only same-site paths: an open redirect through callbackUrl is refused. */
const safeCallback = (value: FormDataEntryValue | null) => sameOriginPath(value) ?? "/merchants";

async function complete(credentials: Record<string, string>, form: FormData, state: LoginState): Promise<LoginState> {
  try {
    await signIn("credentials", { ...credentials, redirectTo: safeCallback(form.get("callbackUrl")) });
  } catch (err) {
    if (err instanceof AuthError) {
      const code = (err as AuthError & { code?: string }).code as keyof typeof LOGIN_MESSAGES | undefined;
      if (err.type === "CredentialsSignin" && code && code in LOGIN_MESSAGES) return { ...state, error: LOGIN_MESSAGES[code] };
      return { ...state, error: LOGIN_MESSAGES.unavailable };
    }
    throw err; // the success redirect
  }
  return state;
}

export async function loginAction(_prev: LoginState, form: FormData): Promise<LoginState> {
  // The login form posts FormData; a forged body can decode to anything else ("$T", "$@"…).
  if (!(form instanceof FormData)) return { error: LOGIN_MESSAGES.invalid };
  const challenge = form.get("challenge");
  if (typeof challenge === "string" && challenge) {
    const email = String(form.get("email") ?? "");
    if (!readLoginChallenge(challenge)) return { email, error: LOGIN_MESSAGES.expired };
    const otp = String(form.get("otp") ?? "").trim();
    if (!otp) return { email, challenge, fieldErrors: { otp: "Enter the 6-digit code from your authenticator app." } };
    return complete({ challenge, otp }, form, { email, challenge });
  }
  const email = String(form.get("email") ?? "");
  const parsed = loginSchema.safeParse({ email, password: form.get("password") ?? "" });
  if (!parsed.success) {
    const f = parsed.error.flatten().fieldErrors;
    return { email, fieldErrors: { email: f.email?.[0], password: f.password?.[0] } };
  }
  // The password is checked here first so that a TOTP user is asked for a code without the
  // password travelling again; the code step carries a signed challenge instead.
  const db = await getDb();
  try {
    const user = await authenticate(db, parsed.data.email, parsed.data.password);
    if (await hasTotp(db, user.id)) return { email, challenge: issueLoginChallenge(user.id) };
    return complete({ challenge: issueLoginChallenge(user.id), otp: "" }, form, { email });
  } catch (err) {
    if (err instanceof LoginError) return { email, error: err.code === "LOCKED" ? LOGIN_MESSAGES.locked : LOGIN_MESSAGES.invalid };
    throw err;
  }
}

/** "Sign in with a passkey", first step: a sign-in challenge for any of this site's passkeys (no password, no address). */
export async function passkeySignInOptionsAction(): Promise<{ options: unknown }> {
  return { options: await assertionOptions(await getDb(), "sign-in", null) };
}

/** Second step: the browser's answer signs the user in (the address's lock and the challenge's single use apply). */
export async function passkeyLoginAction(assertion: unknown, callbackUrl: unknown): Promise<LoginState> {
  if (typeof assertion !== "string" || assertion.length > 8000) return { error: LOGIN_MESSAGES.passkey_refused };
  const form = new FormData();
  if (typeof callbackUrl === "string") form.set("callbackUrl", callbackUrl);
  return complete({ passkey: assertion }, form, {});
}
