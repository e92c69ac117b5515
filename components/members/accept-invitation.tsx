"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { acceptInvitationAction, createAccountAction } from "@/lib/actions/invitation";

export function AcceptInvitation({ token }: { token: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <div className="mt-5 space-y-3">
      {error ? <Alert>{error}</Alert> : null}
      <Button
        disabled={pending}
        onClick={async () => {
          setPending(true);
          const res = await acceptInvitationAction(token); // redirects on success
          setPending(false);
          if (res && !res.ok) setError(res.error);
        }}
      >
        Accept invitation
      </Button>
    </div>
  );
}

export function CreateAccountForm({ token, email }: { token: string; email: string }) {
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);
  return (
    <form
      noValidate
      className="mt-5 space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        setPending(true);
        const res = await createAccountAction(token, { name, password });
        setPending(false);
        if (res && !res.ok) {
          setError(res.error);
          setFieldErrors(res.fieldErrors ?? {});
        }
      }}
    >
      {error ? <Alert>{error}</Alert> : null}
      <p className="text-sm text-slate-600">Create your account to accept.</p>
      <Field id="account-email" label="E-mail">
        <input id="account-email" className={`${inputClass} bg-slate-50`} value={email} readOnly autoComplete="username" />
      </Field>
      <Field id="account-name" label="Your name" error={fieldErrors.name}>
        <input
          id="account-name"
          className={inputClass}
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="name"
          aria-invalid={!!fieldErrors.name}
          aria-describedby={fieldErrors.name ? "account-name-error" : undefined}
        />
      </Field>
      <Field
        id="account-password"
        label="Password"
        hint="At least 12 characters; common passwords are refused."
        error={fieldErrors.password}
      >
        <input
          id="account-password"
          type="password"
          className={inputClass}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
          aria-invalid={!!fieldErrors.password}
          aria-describedby={fieldErrors.password ? "account-password-error" : undefined}
        />
      </Field>
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create account and join"}
      </Button>
    </form>
  );
}
