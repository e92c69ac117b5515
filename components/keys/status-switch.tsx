"use client";
import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import dynamic from "next/dynamic";
import { useToast } from "@/components/ui/toast";
import { cn } from "@/components/ui/cn";
import { disableKeyAction, enableKeyAction } from "@/lib/actions/change-key-status";
import { statusSpec } from "./status-specs";

// Loaded when first asked for, as the card's other dialogs are: the switch itself stays light.
const GuardedActionDialog = dynamic(() => import("./guarded-action-dialog").then((m) => m.GuardedActionDialog), { ssr: false });

/**
 * Enabled ⇄ Disabled as the slider merchants know: a switch named "Active" showing On or Off.
 * It never flips by itself: turning it Off asks "Disable", turning it On asks "Activate", in the
 * same dialog as the key page's Actions.
 */
export function StatusSwitch({
  merchantId,
  keyId,
  keyName,
  version,
  enabled,
}: {
  merchantId: string;
  keyId: string;
  keyName: string;
  version: number;
  enabled: boolean;
}) {
  const router = useRouter();
  const toast = useToast();
  const labelId = useId();
  const [asking, setAsking] = useState(false);
  const ref = { keyId, version, confirmed: true as const };
  return (
    <div className="inline-flex items-center gap-2">
      <span id={labelId} className="text-sm font-medium text-slate-700">
        Active
      </span>
      <button
        type="button"
        role="switch"
        aria-checked={enabled}
        aria-labelledby={labelId}
        aria-describedby={`${labelId}-key`}
        onClick={() => setAsking(true)}
        className={cn(
          "inline-flex h-6 w-12 shrink-0 items-center rounded-full px-0.5 text-[10px] font-semibold uppercase transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600",
          enabled ? "justify-between bg-emerald-700 text-white" : "justify-between bg-slate-300 text-slate-800",
        )}
      >
        {enabled ? <span className="px-1">On</span> : null}
        <span aria-hidden="true" className="h-5 w-5 rounded-full bg-white shadow" />
        {enabled ? null : <span className="px-1">Off</span>}
      </button>
      <span id={`${labelId}-key`} className="sr-only">
        {keyName}
      </span>
      {asking ? (
        // The same dialog as the key page's Disable and Activate (status-specs.ts): one action, one set of words.
        <GuardedActionDialog
          spec={statusSpec(enabled ? "disable" : "enable", merchantId, keyId)}
          open
          onClose={() => setAsking(false)}
          run={() => (enabled ? disableKeyAction(merchantId, ref) : enableKeyAction(merchantId, ref))}
          onDone={() => {
            setAsking(false);
            toast(enabled ? "Key disabled" : "Key activated");
            router.refresh();
          }}
          hasTotp={false}
        />
      ) : null}
    </div>
  );
}
