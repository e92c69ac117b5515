"use client";
import { useId, useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { OptionRadios, StepFooter, StepUpCodeStep, useStepUpAction } from "./step-up";
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
  const id = useId();
  const ownAllowed = channel !== "REST"; // REST keys always use generated credentials
  const key = keys.find((k) => k.id === keyId);
  // A change of credentials is a rotation with "Now": the chosen key's traffic breaks at once.
  const impact = useImpactPreview(key ? { merchantId, keyIds: [key.id], scope: "all" } : null, true);
  const action = useStepUpAction({
    run: (otp) =>
      rotateKeyAction(merchantId, {
        keyId: key!.id,
        version: key!.version,
        grace: "now",
        purpose: "change-credentials",
        confirmed: true,
        otp,
        ...(kind === "own" ? { own } : {}),
      }),
    onDone: onChanged,
    onRefused: (r) => {
      if (r.fieldErrors?.username || r.fieldErrors?.password || r.code === "USERNAME_TAKEN") setStep("choose");
    },
    message: (r) =>
      r.fieldErrors?.["own.username"] ?? r.fieldErrors?.["own.password"] ?? r.fieldErrors?.username ?? r.fieldErrors?.password ?? r.error,
  });
  const kinds = [
    { value: "generated" as const, label: "Auto-generate" },
    ...(ownAllowed ? [{ value: "own" as const, label: "Choose your own" }] : []),
  ];
  return (
    <Dialog open onClose={onClose} title={step === "choose" ? `Change credentials: ${CHANNEL_LABELS[channel]}` : "Authenticator App"}>
      {action.error ? <Alert className="mb-4">{action.error}</Alert> : null}
      {step === "choose" ? (
        keys.length === 0 ? (
          <>
            <p className="text-sm text-slate-700">This channel has no enabled key whose credentials could change.</p>
            <StepFooter onCancel={onClose} />
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
            <OptionRadios
              name="kind"
              legend="New credentials"
              options={kinds}
              value={kind}
              onChange={setKind}
              className="mt-2 grid gap-2 sm:grid-cols-2"
            />
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
            <StepFooter onCancel={onClose}>
              <Button type="submit">Next</Button>
            </StepFooter>
          </form>
        )
      ) : (
        <StepUpCodeStep id={id} hasTotp={hasTotp} state={action} confirmLabel="Submit" danger onCancel={onClose} />
      )}
    </Dialog>
  );
}
