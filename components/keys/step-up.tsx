"use client";
// The parts every step-up dialog shares: the submit/refusal state machine (useStepUpAction), the
// "Authenticator App" step with its "Set up authenticator app" fallback, the option radios, and the
// Cancel footer. The rotate, change-credentials and guarded dialogs differ only in their steps.
import { useState, type ReactNode } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { startAuthentication } from "@simplewebauthn/browser";
import { OtpCodeForm } from "./otp-code-form";
import type { ActionResult } from "@/lib/actions/safe-action";
import { PASSKEY_PREFIX, PASSKEY_REQUEST } from "@/lib/auth/passkey-protocol";
import { useHasPasskey } from "@/components/auth/passkey-context";

type Refusal = Extract<ActionResult<unknown>, { ok: false }>;

/**
 * Runs a step-up action: `submit(otp)` calls `run`, hands a success to `onDone`, and keeps a
 * refusal's words (with its field errors) for the dialog to show. STEP_UP_REQUIRED without a code
 * means the user has no authenticator app yet: the code step then offers to set one up.
 */
export function useStepUpAction<T>({
  run,
  onDone,
  onRefused,
  message = (r) => [r.error, ...Object.values(r.fieldErrors ?? {})].join(" "),
}: {
  run: (otp?: string, keepConfirmed?: boolean) => Promise<ActionResult<T>>;
  onDone: (data: T) => void;
  /** A refusal that sends the user to another step (a username already taken; a sudo window that ended). */
  onRefused?: (r: Refusal, viaSudo: boolean) => void;
  message?: (r: Refusal) => string;
}) {
  const [error, setError] = useState<string | null>(null);
  const [needsEnrol, setNeedsEnrol] = useState(false);
  const [pending, setPending] = useState(false);
  /** `viaSudo`: sent without a code inside the session's sudo window. */
  const submit = async (otp?: string, viaSudo = false, keepConfirmed = false) => {
    setPending(true);
    setError(null);
    const res = await run(otp, keepConfirmed || undefined);
    setPending(false);
    if (res.ok) {
      reset();
      onDone(res.data);
      return;
    }
    if (res.code === "STEP_UP_REQUIRED" && !otp && !viaSudo) setNeedsEnrol(true);
    onRefused?.(res, viaSudo);
    setError(
      viaSudo && res.code === "STEP_UP_REQUIRED"
        ? "Your 5 minutes without a code are over. Enter a code from your authenticator app."
        : message(res),
    );
  };
  /**
   * "Use a passkey": asks the action for a challenge bound to it (and its key), has the browser
   * sign it with a passkey (user verification required), then sends the answer as the code.
   */
  const submitPasskey = async (keepConfirmed = false) => {
    setPending(true);
    setError(null);
    const asked = await run(PASSKEY_REQUEST);
    if (asked.ok || asked.code !== "PASSKEY_CHALLENGE") {
      setPending(false);
      if (asked.ok) {
        reset();
        onDone(asked.data);
      } else setError(message(asked));
      return;
    }
    let assertion: unknown;
    try {
      assertion = await startAuthentication({ optionsJSON: JSON.parse(asked.error) });
    } catch {
      setPending(false);
      setError("The passkey was not used. Try again, or enter a code from your authenticator app.");
      return;
    }
    await submit(`${PASSKEY_PREFIX}${JSON.stringify(assertion)}`, false, keepConfirmed);
  };
  const reset = () => {
    setError(null);
    setNeedsEnrol(false);
  };
  return { error, pending, needsEnrol, submit, submitPasskey, reset };
}

/** Cancel, then the step's own button. */
export function StepFooter({ onCancel, children }: { onCancel: () => void; children?: ReactNode }) {
  return (
    <DialogFooter>
      <Button variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
      {children}
    </DialogFooter>
  );
}

/**
 * The "Authenticator App" step: the code form, or the way to set an app up first. `offerSudo`: the
 * action shows no secret, so the user may choose not to be asked again for 5 minutes.
 */
export function StepUpCodeStep({
  id,
  hasTotp,
  state,
  confirmLabel,
  danger = false,
  offerSudo = false,
  onCancel,
}: {
  id: string;
  hasTotp: boolean;
  state: {
    needsEnrol: boolean;
    pending: boolean;
    submit: (otp?: string, viaSudo?: boolean, keepConfirmed?: boolean) => Promise<void>;
    submitPasskey: (keepConfirmed?: boolean) => Promise<void>;
  };
  confirmLabel: string;
  danger?: boolean;
  offerSudo?: boolean;
  onCancel: () => void;
}) {
  const pathname = usePathname();
  const [keep, setKeep] = useState(false);
  const passkey = useHasPasskey();
  if (hasTotp && !state.needsEnrol)
    return (
      <OtpCodeForm id={id} onCode={(code) => void state.submit(code, false, offerSudo && keep)}>
        {offerSudo ? (
          <label className="mt-3 flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} className="h-4 w-4 accent-brand-600" />
            Don’t ask again for 5 minutes (revoke, delete, roll back and extend on this merchant)
          </label>
        ) : null}
        <StepFooter onCancel={onCancel}>
          {passkey ? (
            <Button variant="secondary" disabled={state.pending} onClick={() => void state.submitPasskey(offerSudo && keep)}>
              Use a passkey
            </Button>
          ) : null}
          <Button type="submit" variant={danger ? "danger" : "primary"} disabled={state.pending}>
            {state.pending ? "Working…" : confirmLabel}
          </Button>
        </StepFooter>
      </OtpCodeForm>
    );
  if (passkey && !hasTotp)
    return (
      <div>
        <p className="text-sm text-slate-700">
          Confirm with your passkey: your browser will ask for your fingerprint, face or security key.
        </p>
        <StepFooter onCancel={onCancel}>
          <Button variant={danger ? "danger" : "primary"} disabled={state.pending} onClick={() => void state.submitPasskey()}>
            {state.pending ? "Working…" : `Use a passkey to ${confirmLabel.toLowerCase()}`}
          </Button>
        </StepFooter>
      </div>
    );
  return (
    <div>
      <p className="text-sm text-slate-700">This action needs a code from an authenticator app, and yours is not set up yet.</p>
      <StepFooter onCancel={onCancel}>
        <Link
          href={`/security?returnTo=${encodeURIComponent(pathname)}`}
          className="inline-flex h-9 items-center rounded-md bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700"
        >
          Set up authenticator app
        </Link>
      </StepFooter>
    </div>
  );
}

/** A group of options as selectable tiles (the grace window, the kind of new credentials). */
export function OptionRadios<V extends string>({
  name,
  legend,
  strongLegend = true,
  options,
  value,
  onChange,
  className = "mt-3 grid grid-cols-2 gap-2",
}: {
  name: string;
  legend: string;
  strongLegend?: boolean;
  options: readonly { value: V; label: string }[];
  value: V | undefined;
  onChange: (v: V) => void;
  className?: string;
}) {
  return (
    <fieldset>
      <legend className={strongLegend ? "text-sm font-medium text-slate-900" : "text-sm text-slate-700"}>{legend}</legend>
      <div className={className}>
        {options.map((o) => (
          <label
            key={o.value}
            className="flex items-center gap-2 rounded-lg border border-slate-200 px-3 py-2 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
          >
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={value === o.value}
              onChange={() => onChange(o.value)}
              className="accent-brand-600"
            />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
