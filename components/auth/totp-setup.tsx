"use client";
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { confirmEnrollmentAction, disableTotpAction, startEnrollmentAction } from "@/lib/actions/totp";
import { Button } from "@/components/ui/button";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { CopyButton } from "@/components/ui/copy-button";

type Stage = { kind: "idle" } | { kind: "password" } | { kind: "scan"; secret: string; qr: string } | { kind: "codes"; codes: string[] };

function CodeField({ id, label, error, name }: { id: string; label: string; error?: string; name: string }) {
  return (
    <Field id={id} label={label} error={error}>
      <input
        id={id}
        name={name}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={20}
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-error` : undefined}
        className={`${inputClass} max-w-48 font-mono tracking-widest`}
      />
    </Field>
  );
}

/** Enrol: QR code and secret text, one valid code to confirm, then ten recovery codes shown once. */
export function TotpSetup({ enabled, returnTo }: { enabled: boolean; returnTo?: string }) {
  const router = useRouter();
  const [stage, setStage] = useState<Stage>({ kind: "idle" });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  /** A form's submit handler: reads one field, and is busy while `run` calls the server. */
  const submitting = (field: string, run: (value: string) => Promise<void>) => async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const value = String(new FormData(e.currentTarget).get(field) ?? "");
    setBusy(true);
    try {
      await run(value);
    } finally {
      setBusy(false);
    }
  };

  // Binding a new authenticator asks for the password again: the session alone is not enough.
  const start = submitting("password", async (password) => {
    const res = await startEnrollmentAction({ password });
    if (!res.ok) return setError(res.fieldErrors?.password ?? res.error);
    setError(undefined);
    setStage({ kind: "scan", ...res.data });
  });

  if (stage.kind === "codes") {
    return (
      <div className="space-y-4">
        <Alert tone="info">
          Your authenticator app is set up. Save these recovery codes now: each works once, and they will not be shown again.
        </Alert>
        <ul aria-label="Recovery codes" className="grid max-w-md grid-cols-2 gap-2 font-mono text-sm">
          {stage.codes.map((c) => (
            <li key={c} className="rounded bg-slate-100 px-2 py-1">
              {c}
            </li>
          ))}
        </ul>
        <div className="flex items-center gap-3">
          <CopyButton value={stage.codes.join("\n")} label="Copy recovery codes" toast="Recovery codes copied" />
          {returnTo ? (
            <Link href={returnTo} className="text-sm font-medium text-brand-700 hover:underline">
              Continue where you were
            </Link>
          ) : (
            <Button
              variant="secondary"
              onClick={() => {
                setStage({ kind: "idle" });
                router.refresh();
              }}
            >
              Done
            </Button>
          )}
        </div>
      </div>
    );
  }

  if (stage.kind === "scan") {
    return (
      <form
        className="space-y-4"
        onSubmit={submitting("code", async (code) => {
          const res = await confirmEnrollmentAction({ code });
          if (!res.ok) return setError(res.fieldErrors?.code ?? res.error);
          setStage({ kind: "codes", codes: res.data.recoveryCodes });
          router.refresh(); // the status badge turns On; this component keeps the codes on screen
        })}
      >
        <p className="text-sm text-slate-700">
          Scan this QR code with your authenticator app, or type the secret in by hand. Then enter the code it shows.
        </p>
        <div className="flex flex-wrap items-center gap-6">
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made on the server */}
          <img
            src={stage.qr}
            alt="QR code for your authenticator app"
            width={180}
            height={180}
            className="rounded-lg border border-slate-200"
          />
          <div>
            <p className="text-xs font-medium text-slate-600">Secret</p>
            <p className="flex items-center gap-1">
              <code data-testid="totp-secret" className="font-mono text-sm">
                {stage.secret}
              </code>
              <CopyButton value={stage.secret} label="Copy secret" toast="Secret copied" />
            </p>
            <p className="mt-1 text-xs text-slate-600">SHA-1 · 6 digits · 30 seconds</p>
          </div>
        </div>
        <CodeField id="enrol-code" name="code" label="Authentication code" error={error} />
        <Button type="submit" disabled={busy}>
          {busy ? "Verifying…" : "Verify and turn on"}
        </Button>
      </form>
    );
  }

  if (enabled) {
    return (
      <form
        className="space-y-4"
        onSubmit={submitting("code", async (code) => {
          const res = await disableTotpAction({ code });
          if (!res.ok) return setError(res.error);
          setError(undefined);
          router.refresh();
        })}
      >
        <p className="text-sm text-slate-700">To reset your authenticator app or turn it off, enter a current code (or a recovery code).</p>
        <CodeField id="disable-code" name="code" label="Authentication code" error={error} />
        <Button type="submit" variant="secondary" disabled={busy}>
          Turn off authenticator app
        </Button>
      </form>
    );
  }

  if (stage.kind === "password") {
    return (
      <form className="space-y-4" onSubmit={start}>
        <p className="text-sm text-slate-700">Confirm it is you: enter your password to set up an authenticator app.</p>
        <Field id="enrol-password" label="Password" error={error}>
          <input
            id="enrol-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            autoFocus
            maxLength={200}
            aria-invalid={!!error}
            aria-describedby={error ? "enrol-password-error" : undefined}
            className={`${inputClass} max-w-xs`}
          />
        </Field>
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={busy}>
            {busy ? "Checking…" : "Continue"}
          </Button>
          <Button
            type="button"
            variant="secondary"
            onClick={() => {
              setError(undefined);
              setStage({ kind: "idle" });
            }}
          >
            Cancel
          </Button>
        </div>
      </form>
    );
  }

  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700">
        Owners confirm rotations, rollbacks, regenerations, revocations and deletions with a code from an authenticator app.
      </p>
      <Button onClick={() => setStage({ kind: "password" })}>Set up authenticator app</Button>
    </div>
  );
}
