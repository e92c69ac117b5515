"use server";
import { AuthError } from "next-auth";
import { loginSchema, signIn } from "@/lib/auth/next-auth";
import { LOGIN_MESSAGES } from "@/lib/auth/messages";

export type LoginState = { error?: string; fieldErrors?: { email?: string; password?: string }; email?: string };


/** Only same-site paths: an open redirect through callbackUrl is refused. */
function safeCallback(value: FormDataEntryValue | null): string {
  const s = typeof value === "string" ? value : "";
  return s.startsWith("/") && !s.startsWith("//") && !s.startsWith("/\\") ? s : "/merchants";
}

export async function loginAction(_prev: LoginState, form: FormData): Promise<LoginState> {
  const email = String(form.get("email") ?? "");
  const parsed = loginSchema.safeParse({ email, password: form.get("password") ?? "" });
  if (!parsed.success) {
    const f = parsed.error.flatten().fieldErrors;
    return { email, fieldErrors: { email: f.email?.[0], password: f.password?.[0] } };
  }
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeCallback(form.get("callbackUrl")) });
  } catch (err) {
    if (err instanceof AuthError) {
      const code = (err as AuthError & { code?: string }).code;
      if (err.type === "CredentialsSignin") return { email, error: code === "locked" ? LOGIN_MESSAGES.locked : LOGIN_MESSAGES.invalid };
      return { email, error: LOGIN_MESSAGES.unavailable };
    }
    throw err; // the success redirect
  }
  return {};
}
