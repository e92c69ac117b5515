"use client";
import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { cn } from "@/components/ui/cn";
import { disableKeyAction, enableKeyAction } from "@/lib/actions/change-key-status";
import { ImpactNote, useImpactPreview } from "./impact-preview";

/**
 * Enabled ⇄ Disabled as the slider merchants know: a switch named "Active" showing On or Off.
 * It never flips by itself: turning it Off asks "Disable", turning it On asks "Activate".
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
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Turning a key Off breaks whatever still calls with it: the dialog says how much that is.
  const impact = useImpactPreview(enabled ? { merchantId, keyIds: [keyId], scope: "all" } : null, asking);
  const close = () => {
    setAsking(false);
    setError(null);
  };
  const confirm = async () => {
    setPending(true);
    const ref = { keyId, version, confirmed: true as const };
    const res = enabled ? await disableKeyAction(merchantId, ref) : await enableKeyAction(merchantId, ref);
    setPending(false);
    if (!res.ok) return setError(res.error);
    close();
    toast(enabled ? "Key disabled" : "Key activated");
    router.refresh();
  };
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
      <Dialog open={asking} onClose={close} title={enabled ? "Disable this key?" : "Activate this key?"}>
        {error ? <Alert className="mb-4">{error}</Alert> : null}
        <p className="text-sm text-slate-700">
          {enabled ? (
            <>Requests with “{keyName}” fail verification until it is turned on again.</>
          ) : (
            <>Requests with “{keyName}” pass verification again.</>
          )}
        </p>
        {enabled ? <ImpactNote loaded={impact} className="mt-4" /> : null}
        <DialogFooter>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button variant={enabled ? "danger" : "primary"} disabled={pending} onClick={() => void confirm()}>
            {enabled ? "Disable" : "Activate"}
          </Button>
        </DialogFooter>
      </Dialog>
    </div>
  );
}
