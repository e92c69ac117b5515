"use client";
import { useState } from "react";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import type { IssuedSecret } from "@/lib/keys/types";

/**
 * Shows a secret exactly once. It lives outside the grid rows, so refreshing the grid cannot
 * unmount it; the caller refreshes only after it closes.
 */
export function SecretRevealDialog({
  issued,
  title = "Save your secret key",
  onClose,
}: {
  issued: IssuedSecret | null;
  title?: string;
  onClose: () => void;
}) {
  const [saved, setSaved] = useState(false);
  const close = () => {
    setSaved(false);
    onClose();
  };
  return (
    <Dialog
      open={!!issued}
      onClose={close}
      title={title}
      dismissible={false}
      size="lg"
      description={<>This secret will not be shown again. Copy it now and store it somewhere safe, such as your secrets manager.</>}
    >
      {issued ? (
        <div className="space-y-4">
          <dl className="space-y-3 text-sm">
            <div>
              <dt className="font-medium text-slate-700">Key</dt>
              <dd className="mt-0.5 text-slate-900">{issued.name}</dd>
            </div>
            <div>
              <dt className="font-medium text-slate-700">Access key</dt>
              <dd className="mt-0.5 flex items-center gap-1">
                <code className="break-all rounded bg-slate-100 px-2 py-1 font-mono text-xs">{issued.accessKey}</code>
                <CopyButton value={issued.accessKey} label="Copy access key" toast="Access key copied" />
              </dd>
            </div>
            <div>
              <dt className="font-medium text-slate-700">Secret key</dt>
              <dd className="mt-0.5 flex items-center gap-1">
                <code
                  data-testid="revealed-secret"
                  className="break-all rounded bg-amber-50 px-2 py-1 font-mono text-xs text-amber-950 ring-1 ring-amber-600/30"
                >
                  {issued.secret}
                </code>
                <CopyButton value={issued.secret} label="Copy secret key" toast="Secret key copied" />
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
            I have saved this secret key
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
