"use client";
import { useId, useState } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import { OtpCodeForm } from "./otp-code-form";
import { ImpactNote, useImpactPreview } from "./impact-preview";
import { rotateKeyAction } from "@/lib/actions/rotate-key";
import { DEFAULT_GRACE, GRACE_OPTIONS, type GraceOption } from "@/lib/keys/rotation";
import { EMPTY_OWN_CREDENTIALS, OwnCredentialsFields, ownCredentialsReady, type OwnCredentialsChoice } from "./own-credentials-fields";
import type { IssuedSecret } from "@/lib/keys/types";

// The card's choices, in the help pages' words: immediately, or a delay of 1 to 72 hours.
const CARD_GRACE: GraceOption[] = ["now", "1h", "3h", "24h", "48h", "72h"];
const label = (g: GraceOption) => (g === "now" ? "Immediately" : GRACE_OPTIONS.find((o) => o.value === g)!.label);

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
  const [error, setError] = useState<string | null>(null);
  const [needsEnrol, setNeedsEnrol] = useState(false);
  const [pending, setPending] = useState(false);
  const pathname = usePathname();
  const id = useId();
  const impact = useImpactPreview({ merchantId, keyIds: [keyId], scope: "all" }, open);
  const close = () => {
    setStep("intro");
    setGrace(DEFAULT_GRACE);
    setOwn(EMPTY_OWN_CREDENTIALS);
    setError(null);
    setNeedsEnrol(false);
    onClose();
  };
  const submit = async (otp?: string) => {
    setPending(true);
    setError(null);
    const ownInput = ownCredentials && own.mode === "own" ? { own: { username: own.username.trim(), password: own.password } } : {};
    const res = await rotateKeyAction(merchantId, { keyId, version, grace, confirmed: true, otp, ...ownInput });
    setPending(false);
    if (res.ok) {
      close();
      onRotated(res.data);
      return;
    }
    if (res.code === "STEP_UP_REQUIRED" && !otp) setNeedsEnrol(true);
    setError(res.error);
  };
  const footer = (next: React.ReactNode) => (
    <DialogFooter>
      <Button variant="secondary" onClick={close}>
        Cancel
      </Button>
      {next}
    </DialogFooter>
  );
  return (
    <Dialog open={open} onClose={close} title={TITLES[step]}>
      {error ? <Alert className="mb-4">{error}</Alert> : null}
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
          <fieldset>
            <legend className="text-sm font-medium text-slate-900">Within</legend>
            <div className="mt-3 grid grid-cols-2 gap-2">
              {CARD_GRACE.map((g) => (
                <label
                  key={g}
                  className="flex items-center gap-2 rounded-lg border border-slate-200 px-3 py-2 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
                >
                  <input
                    type="radio"
                    name="grace"
                    value={g}
                    checked={grace === g}
                    onChange={() => setGrace(g)}
                    className="accent-brand-600"
                  />
                  {label(g)}
                </label>
              ))}
            </div>
          </fieldset>
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
      {step === "otp" ? (
        hasTotp && !needsEnrol ? (
          <OtpCodeForm id={id} onCode={(code) => void submit(code)}>
            {footer(
              <Button type="submit" disabled={pending}>
                {pending ? "Working…" : "Submit"}
              </Button>,
            )}
          </OtpCodeForm>
        ) : (
          <>
            <p className="text-sm text-slate-700">This action needs a code from an authenticator app, and yours is not set up yet.</p>
            {footer(
              <Link
                href={`/security?returnTo=${encodeURIComponent(pathname)}`}
                className="inline-flex h-9 items-center rounded-md bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700"
              >
                Set up authenticator app
              </Link>,
            )}
          </>
        )
      ) : null}
    </Dialog>
  );
}
