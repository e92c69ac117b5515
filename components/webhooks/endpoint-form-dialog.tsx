"use client";
import { useState } from "react";
import { FormDialogFooter } from "@/components/ui/form-dialog";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { createWebhookEndpointAction, updateWebhookEndpointAction } from "@/lib/actions/webhooks";
import { createEndpointSchema } from "@/lib/webhooks/schema";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";
import { ENVIRONMENT_LABELS, type Environment } from "@/lib/keys/types";
import type { EndpointDto, SignerChoiceDto } from "@/lib/data/webhooks";

type Values = z.input<typeof createEndpointSchema>;
export const NO_SIGNING_SECRET_HINT = "created before webhooks: re-generate or rotate this key to sign webhooks with it";

/** "+ Add endpoint" and "Edit": the URL, the events to send and the REST key that signs them. */
export function EndpointFormDialog({
  merchantId,
  environment,
  signers,
  endpoint,
  urlHint,
}: {
  merchantId: string;
  environment: Environment;
  signers: SignerChoiceDto[];
  endpoint?: EndpointDto;
  /** The server's URL policy in words (urlRuleText): what it accepts here, not in general. */
  urlHint: string;
}) {
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const router = useRouter();
  const toast = useToast();
  const defaults: Values = {
    environment,
    url: endpoint?.url ?? "",
    description: endpoint?.description ?? "",
    events: (endpoint?.events as Values["events"]) ?? [...WEBHOOK_EVENT_TYPES],
    signingKeyId: endpoint?.signer?.keyId ?? signers.find((s) => s.canSign)?.keyId ?? "",
  };
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<Values>({ resolver: zodResolver(createEndpointSchema, undefined, { raw: true }), defaultValues: defaults });
  const close = () => {
    setOpen(false);
    reset(defaults);
    setFormError(null);
  };
  const submit = handleSubmit(async (values) => {
    setFormError(null);
    const { environment: _env, ...fields } = values;
    const res = endpoint
      ? await updateWebhookEndpointAction(merchantId, { ...fields, endpointId: endpoint.id, version: endpoint.version })
      : await createWebhookEndpointAction(merchantId, { ...values, environment });
    if (!res.ok) {
      for (const [f, m] of Object.entries(res.fieldErrors ?? {})) setError(f as keyof Values, { message: m });
      return setFormError(res.error);
    }
    close();
    toast(endpoint ? "Endpoint saved" : "Endpoint added");
    router.refresh();
  });
  const title = endpoint ? "Edit endpoint" : "Add endpoint";
  return (
    <>
      <Button variant={endpoint ? "secondary" : "primary"} onClick={() => setOpen(true)}>
        {endpoint ? "Edit" : "+ Add endpoint"}
      </Button>
      <Dialog
        open={open}
        onClose={close}
        title={title}
        size="lg"
        description={`${ENVIRONMENT_LABELS[environment]} events are sent to this URL, signed with the chosen API key (Standard Webhooks).`}
      >
        <form onSubmit={submit} noValidate className="space-y-4">
          {formError ? <Alert>{formError}</Alert> : null}
          <Field id="wh-url" label="Endpoint URL" error={errors.url?.message} hint={urlHint}>
            <input
              id="wh-url"
              type="url"
              autoComplete="off"
              placeholder="https://example.com/webhooks/keyport"
              className={inputClass}
              {...register("url", { onChange: () => setFormError(null) })}
              aria-invalid={!!errors.url}
              aria-describedby={errors.url ? "wh-url-error" : undefined}
            />
          </Field>
          <Field id="wh-description" label="Description (optional)" error={errors.description?.message}>
            <input id="wh-description" className={inputClass} {...register("description")} aria-invalid={!!errors.description} />
          </Field>
          <Field
            id="wh-signer"
            label="Signing key"
            error={errors.signingKeyId?.message}
            hint="A REST key of this environment: receivers verify with a secret derived from it."
          >
            <select
              id="wh-signer"
              className={inputClass}
              {...register("signingKeyId")}
              aria-invalid={!!errors.signingKeyId}
              aria-describedby={errors.signingKeyId ? "wh-signer-error" : undefined}
            >
              <option value="">Choose a REST key</option>
              {signers.map((s) => (
                <option key={s.keyId} value={s.keyId} disabled={!s.canSign}>
                  {s.canSign ? s.name : `${s.name} (${NO_SIGNING_SECRET_HINT})`}
                </option>
              ))}
            </select>
          </Field>
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">Events</legend>
            <div className="mt-2 grid grid-cols-1 gap-1.5 sm:grid-cols-2">
              {WEBHOOK_EVENT_TYPES.map((t) => (
                <label key={t} className="flex items-center gap-2 text-sm text-slate-700">
                  <input type="checkbox" value={t} {...register("events")} className="h-4 w-4 rounded border-slate-300" />
                  <code className="font-mono text-xs">{t}</code>
                </label>
              ))}
            </div>
            {errors.events ? <p className="mt-1 text-xs font-medium text-red-700">{errors.events.message}</p> : null}
          </fieldset>
          <FormDialogFooter onCancel={close} busy={isSubmitting} label={endpoint ? "Save endpoint" : "Add endpoint"} busyLabel="Saving…" />
        </form>
      </Dialog>
    </>
  );
}
