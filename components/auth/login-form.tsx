"use client";
import { useActionState, useState } from "react";
import { startAuthentication } from "@simplewebauthn/browser";
import { loginAction, passkeyLoginAction, passkeySignInOptionsAction, type LoginState } from "@/lib/actions/login";
import { Button } from "@/components/ui/button";
import { Alert, Field, inputClass } from "@/components/ui/field";

export function LoginForm({ callbackUrl, email, notice }: { callbackUrl?: string; email?: string; notice?: string }) {
  const [state, action, pending] = useActionState<LoginState, FormData>(loginAction, { email });
  const otpStep = !!state.challenge;
  const [passkeyError, setPasskeyError] = useState<string | null>(null);
  const [passkeyPending, setPasskeyPending] = useState(false);
  const withPasskey = async () => {
    setPasskeyPending(true);
    setPasskeyError(null);
    try {
      const { options } = await passkeySignInOptionsAction();
      const assertion = await startAuthentication({ optionsJSON: options as Parameters<typeof startAuthentication>[0]["optionsJSON"] });
      const res = await passkeyLoginAction(JSON.stringify(assertion), callbackUrl ?? "");
      if (res?.error) setPasskeyError(res.error);
    } catch {
      setPasskeyError("No passkey was used. Try again, or sign in with your password.");
    }
    setPasskeyPending(false);
  };
  const error = state.error ?? passkeyError;
  return (
    <form action={action} className="space-y-5" noValidate>
      {error ? <Alert>{error}</Alert> : notice && !state.challenge ? <Alert tone="info">{notice}</Alert> : null}
      <input type="hidden" name="callbackUrl" value={callbackUrl ?? ""} />
      {otpStep ? (
        <>
          <input type="hidden" name="challenge" value={state.challenge} />
          <input type="hidden" name="email" value={state.email ?? ""} />
          <p className="text-sm text-slate-700">
            Signing in as <strong>{state.email}</strong>. Open your authenticator app and enter the current code.
          </p>
          <Field id="otp" label="Authentication code" hint="6 digits, or one of your recovery codes." error={state.fieldErrors?.otp}>
            <input
              id="otp"
              name="otp"
              inputMode="numeric"
              autoComplete="one-time-code"
              autoFocus
              required
              maxLength={20}
              aria-invalid={!!state.fieldErrors?.otp}
              aria-describedby={state.fieldErrors?.otp ? "otp-error" : undefined}
              className={`${inputClass} font-mono tracking-widest`}
            />
          </Field>
          <Button type="submit" className="w-full justify-center" disabled={pending}>
            {pending ? "Verifying…" : "Verify"}
          </Button>
        </>
      ) : (
        <>
          <Field id="email" label="E-mail" error={state.fieldErrors?.email}>
            <input
              id="email"
              name="email"
              type="email"
              autoComplete="username"
              required
              defaultValue={state.email}
              aria-invalid={!!state.fieldErrors?.email}
              aria-describedby={state.fieldErrors?.email ? "email-error" : undefined}
              className={inputClass}
            />
          </Field>
          <Field id="password" label="Password" error={state.fieldErrors?.password}>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              aria-invalid={!!state.fieldErrors?.password}
              aria-describedby={state.fieldErrors?.password ? "password-error" : undefined}
              className={inputClass}
            />
          </Field>
          <Button type="submit" className="w-full justify-center" disabled={pending}>
            {pending ? "Signing in…" : "Sign in"}
          </Button>
          <Button variant="secondary" className="w-full justify-center" disabled={passkeyPending} onClick={() => void withPasskey()}>
            {passkeyPending ? "Waiting for your passkey…" : "Sign in with a passkey"}
          </Button>
        </>
      )}
    </form>
  );
}
