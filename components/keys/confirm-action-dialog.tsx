"use client";
import { useId, useState } from "react";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";

export interface ConfirmSpec {
  title: string;
  description: React.ReactNode;
  checkbox: string;
  confirmLabel: string;
  danger?: boolean;
}

/**
 * A destructive step: the button stays disabled until the confirmation box is ticked, and a
 * refused action shows its reason here without closing.
 */
export function ConfirmActionDialog({ spec, open, onClose, onConfirm }: {
  spec: ConfirmSpec;
  open: boolean;
  onClose: () => void;
  onConfirm: () => Promise<string | null>; // an error message, or null when done
}) {
  const [ticked, setTicked] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const boxId = useId();
  const close = () => {
    setTicked(false);
    setError(null);
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} title={spec.title} description={spec.description}>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setPending(true);
          const err = await onConfirm();
          setPending(false);
          if (err) setError(err);
          else close();
        }}
      >
        {error ? <Alert className="mb-4">{error}</Alert> : null}
        <div className="flex items-start gap-2 rounded-lg bg-slate-50 p-3">
          <input id={boxId} type="checkbox" checked={ticked} onChange={(e) => setTicked(e.target.checked)} className="mt-0.5 h-4 w-4 accent-brand-600" />
          <label htmlFor={boxId} className="text-sm text-slate-800">{spec.checkbox}</label>
        </div>
        <DialogFooter>
          <Button variant="secondary" onClick={close}>Cancel</Button>
          <Button type="submit" variant={spec.danger ? "danger" : "primary"} disabled={!ticked || pending}>
            {pending ? "Working…" : spec.confirmLabel}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
