"use client";
import { useForm, useWatch } from "react-hook-form";
import { FormDialogFooter } from "@/components/ui/form-dialog";
import { zodResolver } from "@hookform/resolvers/zod";
import { createKeySchema, CUSTOM_CREDENTIAL_CHANNELS, type CreateKeyInput } from "@/lib/keys/schema";
import { CHANNELS, CHANNEL_LABELS, ENVIRONMENT_LABELS, PERMISSIONS, type Channel, type Environment } from "@/lib/keys/types";
import { createKeyAction } from "@/lib/actions/create-key";
import type { IssuedSecret } from "@/lib/keys/types";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { useState } from "react";

const PERMISSION_HINTS: Record<string, string> = {
  "payments:read": "Read payments",
  "payments:write": "Create and capture payments",
  "refunds:write": "Issue refunds",
  "customers:read": "Read customers",
  "webhooks:manage": "Manage webhooks",
};

export function CreateKeyForm({
  merchantId,
  environments,
  defaults,
  preset,
  onCancel,
  onCreated,
}: {
  merchantId: string;
  environments: Environment[];
  defaults: { environment: Environment; channel: Channel };
  /** Duplicate: the source key's presets, all still editable. */
  preset?: Pick<CreateKeyInput, "name" | "description" | "permissions" | "ipAllowList">;
  onCancel: () => void;
  onCreated: (issued: IssuedSecret) => void;
}) {
  const [formError, setFormError] = useState<string>();
  const {
    register,
    handleSubmit,
    control,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<CreateKeyInput>({
    resolver: zodResolver(createKeySchema, undefined, { raw: true }),
    defaultValues: {
      name: "",
      description: "",
      environment: defaults.environment,
      channel: defaults.channel,
      permissions: ["payments:read"],
      ipAllowList: "",
      credentialType: "generated",
      username: "",
      password: "",
      ...preset,
    },
  });
  const channel = useWatch({ control, name: "channel" });
  const credentialType = useWatch({ control, name: "credentialType" });
  const customAllowed = CUSTOM_CREDENTIAL_CHANNELS.includes(channel);

  const submit = handleSubmit(async (values) => {
    setFormError(undefined);
    const res = await createKeyAction(merchantId, {
      ...values,
      ...(customAllowed && values.credentialType === "custom"
        ? {}
        : { credentialType: "generated", username: undefined, password: undefined }),
    });
    if (res.ok) return onCreated(res.data);
    for (const [field, message] of Object.entries(res.fieldErrors ?? {})) setError(field as keyof CreateKeyInput, { message });
    setFormError(res.error);
  });

  const err = (name: string) => (errors as Record<string, { message?: string }>)[name]?.message;
  const aria = (name: string) => ({ "aria-invalid": !!err(name), "aria-describedby": err(name) ? `ck-${name}-error` : undefined });

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {formError ? <Alert>{formError}</Alert> : null}
      <Field id="ck-name" label="Name" error={err("name")}>
        <input id="ck-name" {...register("name")} {...aria("name")} className={inputClass} placeholder="e.g. Checkout backend" autoFocus />
      </Field>
      <Field id="ck-description" label="Description" error={err("description")}>
        <input
          id="ck-description"
          {...register("description")}
          {...aria("description")}
          className={inputClass}
          placeholder="What uses this key?"
        />
      </Field>
      <div className="grid grid-cols-2 gap-4">
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">Environment</legend>
          <div className="mt-2 space-y-1.5">
            {environments.map((env) => (
              <label key={env} className="flex items-center gap-2 text-sm">
                <input type="radio" value={env} {...register("environment")} className="accent-brand-600" />
                {ENVIRONMENT_LABELS[env]}
              </label>
            ))}
          </div>
          {err("environment") ? <p className="mt-1 text-xs font-medium text-red-700">{err("environment")}</p> : null}
          {!environments.includes("production") ? (
            <p className="mt-1.5 text-xs text-slate-600">
              Production keys are created by owners and admins. Your role creates sandbox keys.
            </p>
          ) : null}
        </fieldset>
        <Field id="ck-channel" label="Channel" error={err("channel")}>
          <select id="ck-channel" {...register("channel")} className={inputClass}>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {CHANNEL_LABELS[c]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Permissions</legend>
        <p className="text-xs text-slate-600">Fixed once the key is created.</p>
        <div className="mt-2 grid grid-cols-2 gap-1.5">
          {PERMISSIONS.map((p) => (
            <label key={p} className="flex items-center gap-2 text-sm">
              <input type="checkbox" value={p} {...register("permissions")} className="h-4 w-4 accent-brand-600" />
              <span>
                <code className="font-mono text-xs">{p}</code> <span className="text-slate-600">· {PERMISSION_HINTS[p]}</span>
              </span>
            </label>
          ))}
        </div>
        {err("permissions") ? (
          <p id="ck-permissions-error" className="mt-1 text-xs font-medium text-red-700">
            {err("permissions")}
          </p>
        ) : null}
      </fieldset>
      <Field
        id="ck-ipAllowList"
        label="IP allow-list"
        hint="One address or CIDR range per line, for example 203.0.113.7 or 10.0.0.0/8. Leave empty to allow any address."
        error={err("ipAllowList")}
      >
        <textarea
          id="ck-ipAllowList"
          rows={2}
          {...register("ipAllowList")}
          {...aria("ipAllowList")}
          className={`${inputClass} font-mono`}
          placeholder="Any address"
        />
      </Field>
      {customAllowed ? (
        <fieldset className="space-y-3 rounded-lg border border-slate-200 p-3">
          <legend className="px-1 text-sm font-medium text-slate-800">Credentials</legend>
          <div className="flex gap-4">
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" value="generated" {...register("credentialType")} className="accent-brand-600" />
              Auto-generated (recommended)
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" value="custom" {...register("credentialType")} className="accent-brand-600" />
              Own username and password
            </label>
          </div>
          {credentialType === "custom" ? (
            <div className="grid grid-cols-2 gap-3">
              <Field id="ck-username" label="Username" error={err("username")}>
                <input id="ck-username" autoComplete="off" {...register("username")} {...aria("username")} className={inputClass} />
              </Field>
              <Field id="ck-password" label="Password" hint="At least 12 characters, not a common password." error={err("password")}>
                <input
                  id="ck-password"
                  type="password"
                  autoComplete="new-password"
                  {...register("password")}
                  {...aria("password")}
                  className={inputClass}
                />
              </Field>
            </div>
          ) : null}
        </fieldset>
      ) : null}
      <FormDialogFooter onCancel={onCancel} busy={isSubmitting} label="Create API Key" busyLabel="Creating…" />
    </form>
  );
}
