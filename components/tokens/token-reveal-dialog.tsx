"use client";
import { useState } from "react";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";

/** Shows a new token exactly once; the page refreshes only after it closes. */
export function TokenRevealDialog({ created, onClose }: { created: { name: string; token: string } | null; onClose: () => void }) {
  const [saved, setSaved] = useState(false);
  const close = () => {
    setSaved(false);
    onClose();
  };
  return (
    <Dialog
      open={!!created}
      onClose={close}
      title="Save your management token"
      dismissible={false}
      size="lg"
      description="This token will not be shown again. Copy it now and store it in your CI's secret store."
    >
      {created ? (
        <div className="space-y-4">
          <dl className="space-y-3 text-sm">
            <div>
              <dt className="font-medium text-slate-700">Name</dt>
              <dd className="mt-0.5 text-slate-900">{created.name}</dd>
            </div>
            <div>
              <dt className="font-medium text-slate-700">Token</dt>
              <dd className="mt-0.5 flex items-center gap-1">
                <code
                  data-testid="revealed-token"
                  className="break-all rounded bg-amber-50 px-2 py-1 font-mono text-xs text-amber-950 ring-1 ring-amber-600/30"
                >
                  {created.token}
                </code>
                <CopyButton value={created.token} label="Copy token" toast="Token copied" />
              </dd>
            </div>
          </dl>
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input
              type="checkbox"
              checked={saved}
              onChange={(e) => setSaved(e.target.checked)}
              className="h-4 w-4 rounded border-slate-300 accent-brand-600"
            />
            I have saved this token
          </label>
          <DialogFooter>
            <Button onClick={close} disabled={!saved}>
              Done
            </Button>
          </DialogFooter>
        </div>
      ) : null}
    </Dialog>
  );
}
