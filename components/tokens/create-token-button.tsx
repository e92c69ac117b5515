"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { OtpCodeForm } from "@/components/keys/otp-code-form";
import { createManagementTokenAction } from "@/lib/actions/management-tokens";
import { createTokenSchema, TOKEN_EXPIRY_OPTIONS } from "@/lib/tokens/schema";
import { SCOPE_LABELS, TOKEN_SCOPES } from "@/lib/tokens/scopes";
import { TokenRevealDialog } from "./token-reveal-dialog";

const formSchema = createTokenSchema.omit({ otp: true });
type Values = z.input<typeof formSchema>;

/** "Create token": name, scopes and expiry, then the authenticator code, then the token shown once. */
export function CreateTokenButton({ merchantId }: { merchantId: string }) {
  const [open, setOpen] = useState(false);
  const [step, setStep] = useState<"form" | "otp">("form");
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const router = useRouter();
  const {
    register,
    handleSubmit,
    reset,
    getValues,
    formState: { errors },
  } = useForm<Values>({
    resolver: zodResolver(formSchema, undefined, { raw: true }),
    defaultValues: { name: "", scopes: ["keys:read"], expiry: "90d" },
  });
  const close = () => {
    setOpen(false);
    setStep("form");
    setFormError(null);
    reset();
  };
  const next = handleSubmit(() => {
    setFormError(null);
    setStep("otp");
  });
  const create = async (otp: string) => {
    setPending(true);
    const values = getValues();
    const res = await createManagementTokenAction(merchantId, { ...values, otp });
    setPending(false);
    if (!res.ok) {
      setFormError(res.error);
      if (res.fieldErrors && Object.keys(res.fieldErrors).some((f) => f !== "otp")) setStep("form");
      return;
    }
    close();
    setCreated({ name: res.data.name, token: res.data.token });
  };
  return (
    <>
      <Button onClick={() => setOpen(true)}>Create token</Button>
      <Dialog
        open={open}
        onClose={close}
        title="Create management token"
        description="A token can call the management API for this merchant with the scopes you choose, until it expires or is revoked."
      >
        {formError ? <Alert className="mb-4">{formError}</Alert> : null}
        {step === "form" ? (
          <form onSubmit={next} noValidate className="space-y-4">
            <Field id="token-name" label="Name" error={errors.name?.message} hint="Where it is used, e.g. “CI deploy”.">
              <input
                id="token-name"
                autoComplete="off"
                className={inputClass}
                {...register("name")}
                aria-invalid={!!errors.name}
                aria-describedby={errors.name ? "token-name-error" : undefined}
              />
            </Field>
            <fieldset>
              <legend className="text-sm font-medium text-slate-800">Scopes</legend>
              <div className="mt-2 space-y-2">
                {TOKEN_SCOPES.map((s) => (
                  <label key={s} className="flex items-start gap-2 text-sm">
                    <input type="checkbox" value={s} className="mt-0.5 accent-brand-600" {...register("scopes")} />
                    <span>
                      <code className="font-mono text-xs">{s}</code> <span className="text-slate-600">— {SCOPE_LABELS[s]}</span>
                    </span>
                  </label>
                ))}
              </div>
              {errors.scopes ? (
                <p role="alert" className="mt-1 text-sm text-red-700">
                  {errors.scopes.message}
                </p>
              ) : null}
            </fieldset>
            <Field id="token-expiry" label="Expires" error={errors.expiry?.message}>
              <select id="token-expiry" className={inputClass} {...register("expiry")}>
                {TOKEN_EXPIRY_OPTIONS.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </Field>
            <DialogFooter>
              <Button variant="secondary" onClick={close}>
                Cancel
              </Button>
              <Button type="submit">Continue</Button>
            </DialogFooter>
          </form>
        ) : (
          <OtpCodeForm id="create-token" onCode={(code) => void create(code)}>
            <DialogFooter>
              <Button variant="secondary" onClick={() => setStep("form")}>
                Back
              </Button>
              <Button type="submit" disabled={pending}>
                {pending ? "Creating…" : "Create token"}
              </Button>
            </DialogFooter>
          </OtpCodeForm>
        )}
      </Dialog>
      <TokenRevealDialog
        created={created}
        onClose={() => {
          setCreated(null);
          router.refresh();
        }}
      />
    </>
  );
}
