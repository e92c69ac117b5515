"use client";
import { useId, useState } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { OtpCodeForm } from "./otp-code-form";
import { ImpactNote, useImpactPreview } from "./impact-preview";
import { rotateKeyAction } from "@/lib/actions/rotate-key";
import { CHANNEL_LABELS, type Channel } from "@/lib/keys/types";

type Issued = Extract<Awaited<ReturnType<typeof rotateKeyAction>>, { ok: true }>["data"];
type Key = { id: string; name: string; version: number };

/**
 * "Change credentials" of a channel's key: own ones (username and password) or auto-generated,
 * replacing the current ones at once (a rotation with "Now"), after the owner's authenticator code.
 */
export function ChangeCredentialsDialog({
  merchantId,
  channel,
  keys,
  hasTotp,
  onClose,
  onChanged,
}: {
  merchantId: string;
  channel: Channel;
  keys: Key[];
  hasTotp: boolean;
  onClose: () => void;
  onChanged: (issued: Issued) => void;
}) {
  const [step, setStep] = useState<"choose" | "otp">("choose");
  const [keyId, setKeyId] = useState(keys[0]?.id ?? "");
  const [kind, setKind] = useState<"generated" | "own">("generated");
  const [own, setOwn] = useState({ username: "", password: "" });
  const [error, setError] = useState<string | null>(null);
  const [needsEnrol, setNeedsEnrol] = useState(false);
  const [pending, setPending] = useState(false);
  const pathname = usePathname();
  const id = useId();
  const ownAllowed = channel !== "REST"; // REST keys always use generated credentials
  const key = keys.find((k) => k.id === keyId);
  // A change of credentials is a rotation with "Now": the chosen key's traffic breaks at once.
  const impact = useImpactPreview(key ? { merchantId, keyIds: [key.id], scope: "all" } : null, true);
  const submit = async (otp: string) => {
    if (!key) return;
    setPending(true);
    setError(null);
    const res = await rotateKeyAction(merchantId, {
      keyId: key.id,
      version: key.version,
      grace: "now",
      purpose: "change-credentials",
      confirmed: true,
      otp,
      ...(kind === "own" ? { own } : {}),
    });
    setPending(false);
    if (res.ok) return onChanged(res.data);
    if (res.code === "STEP_UP_REQUIRED") setNeedsEnrol(true);
    if (res.fieldErrors?.username || res.fieldErrors?.password || res.code === "USERNAME_TAKEN") setStep("choose");
    setError(
      res.fieldErrors?.["own.username"] ??
        res.fieldErrors?.["own.password"] ??
        res.fieldErrors?.username ??
        res.fieldErrors?.password ??
        res.error,
    );
  };
  const cancel = (
    <Button variant="secondary" onClick={onClose}>
      Cancel
    </Button>
  );
  return (
    <Dialog open onClose={onClose} title={step === "choose" ? `Change credentials: ${CHANNEL_LABELS[channel]}` : "Authenticator App"}>
      {error ? <Alert className="mb-4">{error}</Alert> : null}
      {step === "choose" ? (
        keys.length === 0 ? (
          <>
            <p className="text-sm text-slate-700">This channel has no enabled key whose credentials could change.</p>
            <DialogFooter>{cancel}</DialogFooter>
          </>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setStep("otp");
            }}
            className="space-y-4"
          >
            {keys.length > 1 ? (
              <Field id={`${id}-key`} label="API key">
                <select id={`${id}-key`} value={keyId} onChange={(e) => setKeyId(e.target.value)} className={inputClass}>
                  {keys.map((k) => (
                    <option key={k.id} value={k.id}>
                      {k.name}
                    </option>
                  ))}
                </select>
              </Field>
            ) : (
              <p className="text-sm text-slate-700">
                API key: <span className="font-medium">{keys[0].name}</span>
              </p>
            )}
            <fieldset>
              <legend className="text-sm font-medium text-slate-900">New credentials</legend>
              <div className="mt-2 grid gap-2 sm:grid-cols-2">
                {(
                  [
                    ["generated", "Auto-generate"],
                    ["own", "Choose your own"],
                  ] as const
                )
                  .filter(([v]) => v === "generated" || ownAllowed)
                  .map(([v, label]) => (
                    <label
                      key={v}
                      className="flex items-center gap-2 rounded-lg border border-slate-200 px-3 py-2 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
                    >
                      <input
                        type="radio"
                        name="kind"
                        value={v}
                        checked={kind === v}
                        onChange={() => setKind(v)}
                        className="accent-brand-600"
                      />
                      {label}
                    </label>
                  ))}
              </div>
            </fieldset>
            {kind === "own" ? (
              <div className="grid gap-3 sm:grid-cols-2">
                <Field id={`${id}-user`} label="Username">
                  <input
                    id={`${id}-user`}
                    required
                    autoComplete="off"
                    value={own.username}
                    onChange={(e) => setOwn({ ...own, username: e.target.value })}
                    className={inputClass}
                  />
                </Field>
                <Field id={`${id}-pass`} label="Password" hint="At least 12 characters, not a common password.">
                  <input
                    id={`${id}-pass`}
                    required
                    type="password"
                    autoComplete="new-password"
                    value={own.password}
                    onChange={(e) => setOwn({ ...own, password: e.target.value })}
                    className={inputClass}
                  />
                </Field>
              </div>
            ) : null}
            <p role="note" className="rounded-lg bg-amber-50 p-3 text-sm text-amber-950 ring-1 ring-amber-600/20">
              Integrations that use the old credentials will break as soon as they change. The new secret is shown once.
            </p>
            <ImpactNote loaded={impact} className="mt-3" />
            <DialogFooter>
              {cancel}
              <Button type="submit">Next</Button>
            </DialogFooter>
          </form>
        )
      ) : hasTotp && !needsEnrol ? (
        <OtpCodeForm id={id} onCode={(code) => void submit(code)}>
          <DialogFooter>
            {cancel}
            <Button type="submit" variant="danger" disabled={pending}>
              {pending ? "Working…" : "Submit"}
            </Button>
          </DialogFooter>
        </OtpCodeForm>
      ) : (
        <>
          <p className="text-sm text-slate-700">This action needs a code from an authenticator app, and yours is not set up yet.</p>
          <DialogFooter>
            {cancel}
            <Link
              href={`/security?returnTo=${encodeURIComponent(pathname)}`}
              className="inline-flex h-9 items-center rounded-md bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700"
            >
              Set up authenticator app
            </Link>
          </DialogFooter>
        </>
      )}
    </Dialog>
  );
}
