"use client";
import { useId, useState } from "react";
import { usePathname } from "next/navigation";
import Link from "next/link";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import { OtpCodeForm } from "./otp-code-form";
import { ImpactNote, useImpactPreview, type ImpactRequest } from "./impact-preview";
import type { ActionResult } from "@/lib/actions/safe-action";

export interface ChoiceStep {
  title: string;
  /** Sentence above the options; `legend` names the group ("Within"). */
  intro?: string;
  legend: string;
  options: { value: string; label: string }[];
  initial: string;
}

export interface GuardedSpec {
  /** Optional first step, e.g. "Choose when to revoke the existing key". */
  choice?: ChoiceStep;
  warningTitle?: string;
  /** A function when the words depend on the choice (rotating "Now" stops the old key at once). */
  warning: React.ReactNode | ((choice?: string) => React.ReactNode);
  checkbox: string;
  confirmLabel: string;
  /** The button that moves to the next step: "Next", as the help pages say. */
  nextLabel?: string;
  danger?: boolean;
  /** More the warning step needs before it can continue (fields it shows), besides the ticked box. */
  ready?: () => boolean;
  /** Ask for an authenticator code as the last step (owner step-up). */
  otp: boolean;
  /** The traffic that would break, shown on the warning step (only for the choices `when` accepts, e.g. "Now"). */
  impact?: ImpactRequest & { when?: (choice?: string) => boolean };
}

/**
 * Multi-step dialog for actions that break an integration: [choice] → "Warning!" with a required
 * checkbox → "Authenticator App" code. A refused code keeps the dialog open on the code step.
 */
export function GuardedActionDialog<T>({
  spec,
  open,
  onClose,
  run,
  onDone,
  hasTotp,
}: {
  spec: GuardedSpec;
  open: boolean;
  onClose: () => void;
  run: (args: { choice?: string; otp?: string }) => Promise<ActionResult<T>>;
  onDone: (data: T) => void;
  hasTotp: boolean;
}) {
  const [step, setStep] = useState<"choice" | "warning" | "otp">(spec.choice ? "choice" : "warning");
  const [choice, setChoice] = useState(spec.choice?.initial);
  const [ticked, setTicked] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [needsEnrol, setNeedsEnrol] = useState(false);
  const [pending, setPending] = useState(false);
  const pathname = usePathname();
  const boxId = useId();
  const impact = useImpactPreview(spec.impact, open);
  const nextLabel = spec.nextLabel ?? "Next";

  const reset = () => {
    setStep(spec.choice ? "choice" : "warning");
    setChoice(spec.choice?.initial);
    setTicked(false);
    setError(null);
    setNeedsEnrol(false);
  };
  const close = () => {
    reset();
    onClose();
  };
  const submit = async (otp?: string) => {
    setPending(true);
    setError(null);
    const res = await run({ choice, otp });
    setPending(false);
    if (res.ok) {
      reset();
      onDone(res.data);
      return;
    }
    if (res.code === "STEP_UP_REQUIRED" && !otp) setNeedsEnrol(true);
    // Field errors (e.g. new own credentials) say what to change, not only that something is wrong.
    setError([res.error, ...Object.values(res.fieldErrors ?? {})].join(" "));
  };

  const title = step === "choice" ? spec.choice!.title : step === "warning" ? (spec.warningTitle ?? "Warning!") : "Authenticator App";
  return (
    <Dialog open={open} onClose={close} title={title}>
      {error ? <Alert className="mb-4">{error}</Alert> : null}
      {step === "choice" && spec.choice ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setStep("warning");
          }}
        >
          {spec.choice.intro ? <p className="mb-3 text-sm text-slate-700">{spec.choice.intro}</p> : null}
          <fieldset>
            <legend className={spec.choice.intro ? "text-sm font-medium text-slate-900" : "text-sm text-slate-700"}>
              {spec.choice.legend}
            </legend>
            <div className="mt-3 grid grid-cols-2 gap-2">
              {spec.choice.options.map((o) => (
                <label
                  key={o.value}
                  className="flex items-center gap-2 rounded-lg border border-slate-200 px-3 py-2 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
                >
                  <input
                    type="radio"
                    name="choice"
                    value={o.value}
                    checked={choice === o.value}
                    onChange={() => setChoice(o.value)}
                    className="accent-brand-600"
                  />
                  {o.label}
                </label>
              ))}
            </div>
          </fieldset>
          <DialogFooter>
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit">{nextLabel}</Button>
          </DialogFooter>
        </form>
      ) : null}
      {step === "warning" ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (spec.otp) setStep("otp");
            else void submit();
          }}
        >
          <div className="text-sm text-slate-700">{typeof spec.warning === "function" ? spec.warning(choice) : spec.warning}</div>
          {spec.impact && (spec.impact.when?.(choice) ?? true) ? <ImpactNote loaded={impact} className="mt-4" /> : null}
          <div className="mt-4 flex items-start gap-2 rounded-lg bg-amber-50 p-3 ring-1 ring-amber-600/20">
            <input
              id={boxId}
              type="checkbox"
              checked={ticked}
              onChange={(e) => setTicked(e.target.checked)}
              className="mt-0.5 h-4 w-4 accent-brand-600"
            />
            <label htmlFor={boxId} className="text-sm text-slate-900">
              {spec.checkbox}
            </label>
          </div>
          <DialogFooter>
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button
              type="submit"
              variant={spec.danger && !spec.otp ? "danger" : "primary"}
              disabled={!ticked || pending || (spec.ready ? !spec.ready() : false)}
            >
              {spec.otp ? nextLabel : pending ? "Working…" : spec.confirmLabel}
            </Button>
          </DialogFooter>
        </form>
      ) : null}
      {step === "otp" ? (
        hasTotp && !needsEnrol ? (
          <OtpCodeForm id={boxId} onCode={(code) => void submit(code)}>
            <DialogFooter>
              <Button variant="secondary" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" variant={spec.danger ? "danger" : "primary"} disabled={pending}>
                {pending ? "Working…" : spec.confirmLabel}
              </Button>
            </DialogFooter>
          </OtpCodeForm>
        ) : (
          <div>
            <p className="text-sm text-slate-700">This action needs a code from an authenticator app, and yours is not set up yet.</p>
            <DialogFooter>
              <Button variant="secondary" onClick={close}>
                Cancel
              </Button>
              <Link
                href={`/security?returnTo=${encodeURIComponent(pathname)}`}
                className="inline-flex h-9 items-center rounded-md bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700"
              >
                Set up authenticator app
              </Link>
            </DialogFooter>
          </div>
        )
      ) : null}
    </Dialog>
  );
}
