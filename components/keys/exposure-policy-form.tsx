"use client";
import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { setExposurePolicyAction } from "@/lib/actions/exposure-policy";
import { ENVIRONMENT_LABELS, type Environment } from "@/lib/keys/types";
import { GuardedActionDialog } from "./guarded-action-dialog";

type Policy = { action: "ALERT" | "ROTATE" | "REVOKE"; graceHours: number };
const GRACE = [1, 3, 24, 48, 72, 168];
const label = (h: number) => (h === 168 ? "7 days" : h === 1 ? "1 hour" : `${h} hours`);
const OPTIONS: { value: string; label: string; policy: Policy }[] = [
  ...GRACE.map((h) => ({
    value: `ROTATE:${h}`,
    label: `Rotate with a grace window of ${label(h)}`,
    policy: { action: "ROTATE" as const, graceHours: h },
  })),
  { value: "REVOKE", label: "Revoke now", policy: { action: "REVOKE", graceHours: 24 } },
  { value: "ALERT", label: "Alert only", policy: { action: "ALERT", graceHours: 24 } },
];
const choiceOf = (p: Policy) => (p.action === "ROTATE" ? `ROTATE:${p.graceHours}` : p.action);

/** "If a key is found exposed": what a leak report (GitHub secret scanning) does to this environment's keys. */
export function ExposurePolicyForm({
  merchantId,
  environment,
  current,
  hasTotp,
}: {
  merchantId: string;
  environment: Environment;
  current: Policy;
  hasTotp: boolean;
}) {
  const id = useId();
  const router = useRouter();
  const toast = useToast();
  const [choice, setChoice] = useState(choiceOf(current));
  const [open, setOpen] = useState(false);
  const chosen = OPTIONS.find((o) => o.value === choice)!;
  return (
    <section aria-labelledby={`${id}-title`} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <h3 id={`${id}-title`} className="font-semibold text-slate-900">
        If a key is found exposed
      </h3>
      <p className="mt-1 text-sm text-slate-600">
        When GitHub&apos;s secret scanning reports a {ENVIRONMENT_LABELS[environment].toLowerCase()} key of this merchant in a public place,
        Keyport marks it Exposed, mails the owners and then:
      </p>
      <form
        className="mt-3 flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          setOpen(true);
        }}
      >
        <label htmlFor={`${id}-policy`} className="sr-only">
          What happens to an exposed {ENVIRONMENT_LABELS[environment].toLowerCase()} key
        </label>
        <select
          id={`${id}-policy`}
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
          className={`${controlClass} max-w-full py-1.5`}
        >
          {OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <Button type="submit" size="sm" disabled={choice === choiceOf(current)}>
          Save policy
        </Button>
      </form>
      <GuardedActionDialog
        open={open}
        hasTotp={hasTotp}
        onClose={() => setOpen(false)}
        spec={{
          warningTitle: "Change what happens to exposed keys",
          warning: `From now on, a ${ENVIRONMENT_LABELS[environment].toLowerCase()} key reported exposed: ${chosen.label.toLowerCase()}.`,
          checkbox: "I confirm changing what happens to exposed keys",
          confirmLabel: "Save",
          otp: true,
          sudo: true,
        }}
        run={({ otp, keepConfirmed }) =>
          setExposurePolicyAction(merchantId, { environment, ...chosen.policy, confirmed: true, otp, keepConfirmed })
        }
        onDone={() => {
          setOpen(false);
          toast("Exposure policy saved");
          router.refresh();
        }}
      />
    </section>
  );
}
