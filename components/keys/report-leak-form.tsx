"use client";
import { useId, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { portalLeakReportSchema } from "@/lib/leaks/schema";
import { reportLeakAction } from "@/lib/actions/report-leak";
import { Button } from "@/components/ui/button";
import { Alert, Field, inputClass } from "@/components/ui/field";

type Values = z.input<typeof portalLeakReportSchema>;
type Outcome = Awaited<ReturnType<typeof reportLeakAction>>;

const DONE = {
  ALERT: "It is marked Exposed and the owners are mailed; nothing else changed (the policy is “Alert only”).",
  ROTATE: "It was rotated: the exposed secret keeps working until the grace window ends, and the owners are mailed.",
  REVOKE: "It was revoked: the exposed secret no longer works, and the owners are mailed.",
} as const;

/**
 * "Report a leaked key": paste a secret key found where it should not be (a public repository, a
 * ticket, a chat), and the same flow as a report from GitHub's secret scanning runs.
 */
export function ReportLeakForm({ merchantId }: { merchantId: string }) {
  const id = useId();
  const router = useRouter();
  const [result, setResult] = useState<Outcome | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<Values>({
    resolver: zodResolver(portalLeakReportSchema, undefined, { raw: true }),
    defaultValues: { secret: "", url: "" },
  });
  const submit = handleSubmit(async (values) => {
    setResult(null);
    const res = await reportLeakAction(merchantId, values);
    if (!res.ok && res.fieldErrors) {
      for (const [field, message] of Object.entries(res.fieldErrors))
        if (field === "secret" || field === "url") setError(field, { message });
    }
    setResult(res);
    if (res.ok) {
      reset({ secret: "", url: "" }); // the secret does not stay on the page
      router.refresh();
    }
  });
  const secretError = errors.secret?.message;
  const urlError = errors.url?.message;
  return (
    <section aria-labelledby={`${id}-title`} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <h3 id={`${id}-title`} className="font-semibold text-slate-900">
        Report a leaked key
      </h3>
      <p className="mt-1 text-sm text-slate-600">
        Found a secret key of this merchant in a public repository, a ticket or a chat? Paste it here: Keyport finds its key and applies the
        environment&apos;s exposure policy, as for a report from GitHub&apos;s secret scanning. The secret is never stored.
      </p>
      <form onSubmit={submit} noValidate className="mt-3 space-y-3">
        <Field id={`${id}-secret`} label="Secret key" error={secretError}>
          <input
            id={`${id}-secret`}
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="kp_live_…"
            {...register("secret")}
            aria-invalid={!!secretError}
            aria-describedby={secretError ? `${id}-secret-error` : undefined}
            className={`${inputClass} font-mono`}
          />
        </Field>
        <Field
          id={`${id}-url`}
          label="Where it was found (optional)"
          hint="The web address, for the audit log and the owners' mail."
          error={urlError}
        >
          <input
            id={`${id}-url`}
            type="url"
            inputMode="url"
            placeholder="https://github.com/…"
            {...register("url")}
            aria-invalid={!!urlError}
            aria-describedby={urlError ? `${id}-url-error` : undefined}
            className={inputClass}
          />
        </Field>
        {result && !result.ok && !result.fieldErrors ? <Alert>{result.error}</Alert> : null}
        {result?.ok && !result.data.found ? (
          <Alert tone="info">
            That secret is not a live key of this merchant (it is unknown, already revoked or expired). Nothing was changed.
          </Alert>
        ) : null}
        {result?.ok && result.data.found ? (
          <Alert tone="info">
            {result.data.key ? (
              <Link href={`/merchants/${merchantId}/developers/keys/${result.data.key.id}`} className="font-semibold underline">
                {result.data.key.name}
              </Link>
            ) : (
              "The key"
            )}{" "}
            {result.data.again ? "was reported from there already; nothing more was done." : DONE[result.data.action]}
          </Alert>
        ) : null}
        <div className="flex justify-end">
          <Button type="submit" variant="danger" disabled={isSubmitting}>
            {isSubmitting ? "Reporting…" : "Report leaked key"}
          </Button>
        </div>
      </form>
    </section>
  );
}
