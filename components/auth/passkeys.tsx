"use client";
import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { startAuthentication, startRegistration } from "@simplewebauthn/browser";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { OtpCodeForm } from "@/components/keys/otp-code-form";
import { passkeyRegistrationOptionsAction, registerPasskeyAction, removePasskeyAction } from "@/lib/actions/passkeys";
import { PASSKEY_PREFIX, PASSKEY_REQUEST } from "@/lib/auth/passkey-protocol";
import { formatDateTime } from "@/components/keys/format";

interface PasskeyRow {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  backedUp: boolean;
  counterRegressed: boolean;
}

/** The Security page's "Passkeys": the user's passkeys, "Add a passkey" and "Remove" (behind step-up). */
export function Passkeys({ passkeys, hasTotp }: { passkeys: PasskeyRow[]; hasTotp: boolean }) {
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<PasskeyRow | null>(null);
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        Sign in without a password, and confirm actions that break an integration with your fingerprint, face or security key. A passkey
        cannot be phished: it only answers this site.
      </p>
      {passkeys.length ? (
        <ul aria-label="Your passkeys" className="divide-y divide-slate-100 rounded-lg border border-slate-200">
          {passkeys.map((p) => (
            <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
              <div>
                <p className="font-medium text-slate-900">{p.name}</p>
                <p className="text-xs text-slate-600">
                  Added {formatDateTime(p.createdAt)} · {p.lastUsedAt ? `last used ${formatDateTime(p.lastUsedAt)}` : "never used"}
                  {p.backedUp ? " · synced" : ""}
                </p>
                {p.counterRegressed ? (
                  <p className="text-xs font-medium text-red-700">
                    Its use counter went backwards once: it may have been copied. Consider removing it.
                  </p>
                ) : null}
              </div>
              <Button size="sm" variant="secondary" onClick={() => setRemoving(p)} aria-label={`Remove passkey ${p.name}`}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-700">No passkey yet.</p>
      )}
      <Button onClick={() => setAdding(true)}>Add a passkey</Button>
      <AddPasskeyDialog open={adding} onClose={() => setAdding(false)} />
      <RemovePasskeyDialog passkey={removing} hasTotp={hasTotp} onClose={() => setRemoving(null)} />
    </div>
  );
}

function AddPasskeyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const id = useId();
  const router = useRouter();
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);
  const close = () => {
    setError(null);
    setFieldErrors({});
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} title="Add a passkey" description="Enter your password again, then follow your browser's prompt.">
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const name = String(form.get("name") ?? "");
          setPending(true);
          setError(null);
          setFieldErrors({});
          const started = await passkeyRegistrationOptionsAction({ name, password: String(form.get("password") ?? "") });
          if (!started.ok) {
            setPending(false);
            setFieldErrors(started.fieldErrors ?? {});
            if (!started.fieldErrors) setError(started.error);
            return;
          }
          let response: unknown;
          try {
            response = await startRegistration({ optionsJSON: started.data.options });
          } catch {
            setPending(false);
            setError("No passkey was created. Try again when your browser asks.");
            return;
          }
          const saved = await registerPasskeyAction({ name, response: response as Record<string, unknown> });
          setPending(false);
          if (!saved.ok) return setError(saved.error);
          close();
          toast(`Passkey “${saved.data.name}” added`);
          router.refresh();
        }}
        className="space-y-4"
      >
        {error ? <Alert>{error}</Alert> : null}
        <Field id={`${id}-name`} label="Name" hint="Where it lives, e.g. “MacBook Touch ID”." error={fieldErrors.name}>
          <input id={`${id}-name`} name="name" maxLength={60} aria-invalid={!!fieldErrors.name} className={inputClass} />
        </Field>
        <Field id={`${id}-password`} label="Password" error={fieldErrors.password}>
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            autoComplete="current-password"
            aria-invalid={!!fieldErrors.password}
            className={inputClass}
          />
        </Field>
        <DialogFooter>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? "Waiting for your passkey…" : "Continue"}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

function RemovePasskeyDialog({ passkey, hasTotp, onClose }: { passkey: PasskeyRow | null; hasTotp: boolean; onClose: () => void }) {
  const id = useId();
  const router = useRouter();
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const close = () => {
    setError(null);
    onClose();
  };
  const finish = async (otp: string) => {
    const res = await removePasskeyAction({ passkeyId: passkey!.id, otp });
    setPending(false);
    if (!res.ok) return setError(res.error);
    close();
    toast(`Passkey “${passkey!.name}” removed`);
    router.refresh();
  };
  const withPasskey = async () => {
    setPending(true);
    setError(null);
    const asked = await removePasskeyAction({ passkeyId: passkey!.id, otp: PASSKEY_REQUEST });
    if (asked.ok || asked.code !== "PASSKEY_CHALLENGE") {
      setPending(false);
      return setError(asked.ok ? null : asked.error);
    }
    try {
      const assertion = await startAuthentication({ optionsJSON: JSON.parse(asked.error) });
      await finish(`${PASSKEY_PREFIX}${JSON.stringify(assertion)}`);
    } catch {
      setPending(false);
      setError("The passkey was not used. Try again.");
    }
  };
  return (
    <Dialog
      open={!!passkey}
      onClose={close}
      title="Remove passkey"
      description={passkey ? `“${passkey.name}” will no longer sign you in or confirm actions.` : undefined}
    >
      {error ? (
        <Alert className="mb-3" role="alert">
          {error}
        </Alert>
      ) : null}
      {hasTotp ? (
        <OtpCodeForm
          id={id}
          onCode={(code) => {
            setPending(true);
            setError(null);
            void finish(code);
          }}
        >
          <DialogFooter>
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button variant="secondary" disabled={pending} onClick={() => void withPasskey()}>
              Use a passkey
            </Button>
            <Button type="submit" variant="danger" disabled={pending}>
              Remove
            </Button>
          </DialogFooter>
        </OtpCodeForm>
      ) : (
        <DialogFooter>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button variant="danger" disabled={pending} onClick={() => void withPasskey()}>
            Confirm with a passkey and remove
          </Button>
        </DialogFooter>
      )}
    </Dialog>
  );
}
