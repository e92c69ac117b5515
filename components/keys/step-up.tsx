"use client";
// The parts every step-up dialog shares: the submit/refusal state machine (useStepUpAction), the
// "Authenticator App" step with its "Set up authenticator app" fallback, the option radios, and the
// Cancel footer. The rotate, change-credentials and guarded dialogs differ only in their steps.
import { useState, type ReactNode } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { OtpCodeForm } from "./otp-code-form";
import type { ActionResult } from "@/lib/actions/safe-action";

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
  run: (otp?: string) => Promise<ActionResult<T>>;
  onDone: (data: T) => void;
  /** A refusal that sends the user back to an earlier step (e.g. a username already taken). */
  onRefused?: (r: Refusal) => void;
  message?: (r: Refusal) => string;
}) {
  const [error, setError] = useState<string | null>(null);
  const [needsEnrol, setNeedsEnrol] = useState(false);
  const [pending, setPending] = useState(false);
  const submit = async (otp?: string) => {
    setPending(true);
    setError(null);
    const res = await run(otp);
    setPending(false);
    if (res.ok) {
      reset();
      onDone(res.data);
      return;
    }
    if (res.code === "STEP_UP_REQUIRED" && !otp) setNeedsEnrol(true);
    onRefused?.(res);
    setError(message(res));
  };
  const reset = () => {
    setError(null);
    setNeedsEnrol(false);
  };
  return { error, pending, needsEnrol, submit, reset };
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

/** The "Authenticator App" step: the code form, or the way to set an app up first. */
export function StepUpCodeStep({
  id,
  hasTotp,
  state,
  confirmLabel,
  danger = false,
  onCancel,
}: {
  id: string;
  hasTotp: boolean;
  state: { needsEnrol: boolean; pending: boolean; submit: (otp?: string) => Promise<void> };
  confirmLabel: string;
  danger?: boolean;
  onCancel: () => void;
}) {
  const pathname = usePathname();
  if (hasTotp && !state.needsEnrol)
    return (
      <OtpCodeForm id={id} onCode={(code) => void state.submit(code)}>
        <StepFooter onCancel={onCancel}>
          <Button type="submit" variant={danger ? "danger" : "primary"} disabled={state.pending}>
            {state.pending ? "Working…" : confirmLabel}
          </Button>
        </StepFooter>
      </OtpCodeForm>
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
