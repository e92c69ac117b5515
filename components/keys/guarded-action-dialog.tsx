"use client";
import { useId, useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import { OptionRadios, StepFooter, StepUpCodeStep, useStepUpAction } from "./step-up";
import { useSudoActive } from "@/components/auth/sudo";
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
  /** The action shows no secret: in an open sudo window it goes on without a code. */
  sudo?: boolean;
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
  run: (args: { choice?: string; otp?: string; keepConfirmed?: boolean }) => Promise<ActionResult<T>>;
  onDone: (data: T) => void;
  hasTotp: boolean;
}) {
  const [step, setStep] = useState<"choice" | "warning" | "otp">(spec.choice ? "choice" : "warning");
  const [choice, setChoice] = useState(spec.choice?.initial);
  const [ticked, setTicked] = useState(false);
  const boxId = useId();
  const impact = useImpactPreview(spec.impact, open);
  // In the session's sudo window an action that shows no secret needs no code (the server decides again).
  const inSudo = useSudoActive() && !!spec.sudo;
  const nextLabel = spec.nextLabel ?? "Next";
  const reset = () => {
    setStep(spec.choice ? "choice" : "warning");
    setChoice(spec.choice?.initial);
    setTicked(false);
    action.reset();
  };
  const action = useStepUpAction<T>({
    run: (otp, keepConfirmed) => run({ choice, otp, keepConfirmed }),
    onDone: (data) => {
      reset();
      onDone(data);
    },
    // The window ended meanwhile: the code step after all.
    onRefused: (r, viaSudo) => {
      if (viaSudo && r.code === "STEP_UP_REQUIRED") setStep("otp");
    },
  });
  const close = () => {
    reset();
    onClose();
  };

  const title = step === "choice" ? spec.choice!.title : step === "warning" ? (spec.warningTitle ?? "Warning!") : "Authenticator App";
  return (
    <Dialog open={open} onClose={close} title={title}>
      {action.error ? <Alert className="mb-4">{action.error}</Alert> : null}
      {step === "choice" && spec.choice ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setStep("warning");
          }}
        >
          {spec.choice.intro ? <p className="mb-3 text-sm text-slate-700">{spec.choice.intro}</p> : null}
          <OptionRadios
            name="choice"
            legend={spec.choice.legend}
            strongLegend={!!spec.choice.intro}
            options={spec.choice.options}
            value={choice}
            onChange={setChoice}
          />
          <StepFooter onCancel={close}>
            <Button type="submit">{nextLabel}</Button>
          </StepFooter>
        </form>
      ) : null}
      {step === "warning" ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (spec.otp && !inSudo) setStep("otp");
            else void action.submit(undefined, inSudo);
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
          <StepFooter onCancel={close}>
            <Button
              type="submit"
              variant={spec.danger && (!spec.otp || inSudo) ? "danger" : "primary"}
              disabled={!ticked || action.pending || (spec.ready ? !spec.ready() : false)}
            >
              {spec.otp && !inSudo ? nextLabel : action.pending ? "Working…" : spec.confirmLabel}
            </Button>
          </StepFooter>
        </form>
      ) : null}
      {step === "otp" ? (
        <StepUpCodeStep
          id={boxId}
          hasTotp={hasTotp}
          state={action}
          confirmLabel={spec.confirmLabel}
          danger={spec.danger}
          offerSudo={!!spec.sudo}
          onCancel={close}
        />
      ) : null}
    </Dialog>
  );
}
