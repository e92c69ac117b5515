"use client";
import { useEffect, useState } from "react";
import {
  bulkDeleteKeysAction,
  bulkDisableKeysAction,
  bulkEnableKeysAction,
  bulkRevokeKeysAction,
  planBulkKeysAction,
} from "@/lib/actions/bulk-keys";
import type { BulkPlan, BulkResult } from "@/lib/keys/services/bulk-keys";
import { skipSummary, type BulkAction } from "@/lib/keys/services/bulk-rules";
import { GuardedActionDialog, type GuardedSpec } from "./guarded-action-dialog";
import { ImpactNote } from "./impact-preview";

// The four share one schema (bulkRunSchema), so one typed door serves them all.
const RUN: Record<BulkAction, typeof bulkDisableKeysAction> = {
  disable: bulkDisableKeysAction,
  enable: bulkEnableKeysAction,
  revoke: bulkRevokeKeysAction,
  delete: bulkDeleteKeysAction,
};

/** The words of each bulk action, as its single-key dialog says them. */
export const BULK_WORDS: Record<BulkAction, { verb: string; done: string; checkbox: string; danger?: boolean }> = {
  disable: { verb: "Disable", done: "disabled", checkbox: "I understand that integrations using these keys will stop working" },
  enable: { verb: "Enable", done: "enabled", checkbox: "I confirm enabling these keys" },
  revoke: { verb: "Revoke", done: "revoked", checkbox: "I understand that revoking cannot be undone", danger: true },
  delete: { verb: "Delete", done: "deleted", checkbox: "I understand that deleting cannot be undone", danger: true },
};

const keysWord = (n: number) => `${n} ${n === 1 ? "key" : "keys"}`;

/**
 * A bulk action on the grid's selection: the server's plan first (what applies, what is skipped
 * and why, the traffic that stops), then the usual warning and, for revoke and delete, one code.
 */
export function BulkActionDialog({
  merchantId,
  action,
  keyIds,
  hasTotp,
  onClose,
  onDone,
}: {
  merchantId: string;
  action: BulkAction;
  keyIds: string[];
  hasTotp: boolean;
  onClose: () => void;
  onDone: (result: BulkResult) => void;
}) {
  const [plan, setPlan] = useState<BulkPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ids = keyIds.join(",");
  useEffect(() => {
    let live = true;
    planBulkKeysAction(merchantId, { action, keyIds: ids.split(",") }).then(
      (res) => live && (res.ok ? setPlan(res.data) : setError(res.error)),
      () => live && setError("The selected keys could not be checked. Try again."),
    );
    return () => {
      live = false;
    };
  }, [merchantId, action, ids]);

  const words = BULK_WORDS[action];
  const apply = plan?.apply ?? [];
  const skipped = plan ? skipSummary(plan.skipped) : null;
  const spec: GuardedSpec = {
    warningTitle: `${words.verb} API keys`,
    warning: (
      <div className="space-y-3">
        {error ? <p>{error}</p> : !plan ? <p>Checking the selected keys…</p> : null}
        {plan ? (
          <p className="font-medium text-slate-900">
            {apply.length
              ? `${keysWord(apply.length)} of the ${keyIds.length} selected will be ${words.done}.`
              : `Nothing to do: none of the ${keyIds.length} selected keys can be ${words.done}.`}
          </p>
        ) : null}
        {skipped ? (
          <div role="group" aria-label="Skipped keys" className="rounded-lg border border-slate-200 p-3">
            <p>{skipped}</p>
            <ul className="mt-1 list-disc pl-5">
              {plan!.skipped.map((s) => (
                <li key={s.keyId}>
                  {s.name}: {s.reason}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {plan?.impact ? <ImpactNote loaded={{ for: "", data: plan.impact }} /> : null}
      </div>
    ),
    ready: () => apply.length > 0,
    checkbox: words.checkbox,
    confirmLabel: words.verb,
    danger: words.danger,
    otp: !!plan?.stepUp,
  };
  return (
    <GuardedActionDialog
      spec={spec}
      open
      hasTotp={hasTotp}
      onClose={onClose}
      run={({ otp }) => RUN[action](merchantId, { keys: apply.map((k) => ({ keyId: k.keyId, version: k.version })), confirmed: true, otp })}
      // The skipped keys are part of the answer too: refused by the rules, before anything ran.
      onDone={(res) => onDone({ done: res.done, refused: [...(plan?.skipped ?? []), ...res.refused] })}
    />
  );
}
