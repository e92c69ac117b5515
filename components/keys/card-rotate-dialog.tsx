"use client";
import { useId, useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import { OptionRadios, StepFooter, StepUpCodeStep, useStepUpAction } from "./step-up";
import { ImpactNote, useImpactPreview } from "./impact-preview";
import { rotateKeyAction } from "@/lib/actions/rotate-key";
import { DEFAULT_GRACE, GRACE_OPTIONS, type GraceOption } from "@/lib/keys/rotation";
import { EMPTY_OWN_CREDENTIALS, OwnCredentialsFields, ownCredentialsReady, type OwnCredentialsChoice } from "./own-credentials-fields";
import type { IssuedSecret } from "@/lib/keys/types";

// The card's choices (its help page: at once, or a delay of 1 to 72 hours), with the key page's labels.
const label = (g: GraceOption) => GRACE_OPTIONS.find((o) => o.value === g)!.label;
const CARD_GRACE = (["now", "1h", "3h", "24h", "48h", "72h"] as const).map((value) => ({ value, label: label(value) }));

type Step = "intro" | "choose" | "review" | "otp";
const TITLES: Record<Step, string> = {
  intro: "Rotate key",
  choose: "Choose when to revoke the existing key",
  review: "Review your rotation",
  otp: "Authenticator App",
};

/** Rotating from a key card: a popup, the delay, a review, then the owner's authenticator code. */
export function CardRotateDialog({
  merchantId,
  keyId,
  keyName,
  version,
  ownCredentials = false,
  open,
  hasTotp,
  onClose,
  onRotated,
}: {
  merchantId: string;
  keyId: string;
  keyName: string;
  version: number;
  /** The key uses its own username and password: the rotation asks for new ones, as the key page does. */
  ownCredentials?: boolean;
  open: boolean;
  hasTotp: boolean;
  onClose: () => void;
  onRotated: (issued: IssuedSecret) => void;
}) {
  const [step, setStep] = useState<Step>("intro");
  const [grace, setGrace] = useState<GraceOption>(DEFAULT_GRACE);
  const [own, setOwn] = useState<OwnCredentialsChoice>(EMPTY_OWN_CREDENTIALS);
  const id = useId();
  const impact = useImpactPreview({ merchantId, keyIds: [keyId], scope: "all" }, open);
  const action = useStepUpAction({
    run: (otp) => {
      const ownInput = ownCredentials && own.mode === "own" ? { own: { username: own.username.trim(), password: own.password } } : {};
      return rotateKeyAction(merchantId, { keyId, version, grace, confirmed: true, otp, ...ownInput });
    },
    onDone: (issued) => {
      close();
      onRotated(issued);
    },
    message: (r) => r.error,
  });
  const close = () => {
    setStep("intro");
    setGrace(DEFAULT_GRACE);
    setOwn(EMPTY_OWN_CREDENTIALS);
    action.reset();
    onClose();
  };
  const footer = (next: React.ReactNode) => <StepFooter onCancel={close}>{next}</StepFooter>;
  return (
    <Dialog open={open} onClose={close} title={TITLES[step]}>
      {action.error ? <Alert className="mb-4">{action.error}</Alert> : null}
      {step === "intro" ? (
        <>
          <p className="text-sm text-slate-700">
            A new key string is created for “{keyName}”. Everything else about the key stays the same, and no other key is affected.
          </p>
          <p className="mt-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-950 ring-1 ring-amber-600/20">
            Rotation can’t be undone once the old key has expired.
          </p>
          {footer(<Button onClick={() => setStep("choose")}>Next</Button>)}
        </>
      ) : null}
      {step === "choose" ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setStep("review");
          }}
        >
          <OptionRadios name="grace" legend="Within" options={CARD_GRACE} value={grace} onChange={setGrace} />
          {grace === "now" ? (
            <p role="note" className="mt-3 rounded-lg bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-600/20">
              Caution: rotating immediately gives no time for a seamless transition. Every integration using the old key fails until it has
              the new one.
            </p>
          ) : null}
          {ownCredentials ? (
            <div className="mt-4">
              <OwnCredentialsFields value={own} onChange={setOwn} />
            </div>
          ) : null}
          {footer(
            <Button type="submit" disabled={ownCredentials && !ownCredentialsReady(own)}>
              Next
            </Button>,
          )}
        </form>
      ) : null}
      {step === "review" ? (
        <>
          <dl className="space-y-2 text-sm">
            <div className="flex justify-between gap-4">
              <dt className="text-slate-600">Key</dt>
              <dd className="font-medium">{keyName}</dd>
            </div>
            <div className="flex justify-between gap-4">
              <dt className="text-slate-600">The old key stops working</dt>
              <dd className="font-medium">{grace === "now" ? "Immediately" : `In ${label(grace)}`}</dd>
            </div>
          </dl>
          {grace === "now" ? <ImpactNote loaded={impact} className="mt-4" /> : null}
          {footer(<Button onClick={() => setStep("otp")}>Next</Button>)}
        </>
      ) : null}
      {step === "otp" ? <StepUpCodeStep id={id} hasTotp={hasTotp} state={action} confirmLabel="Submit" onCancel={close} /> : null}
    </Dialog>
  );
}
