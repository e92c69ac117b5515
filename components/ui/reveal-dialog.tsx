"use client";
import { useState } from "react";
import { Dialog, DialogFooter } from "./dialog";
import { Button } from "./button";
import { CopyButton } from "./copy-button";
import { cn } from "./cn";

/** One line of a reveal: plain text, or a value to copy; `secret` marks the one never shown again. */
type RevealField = { label: string; value: string; copy?: { label: string; toast: string }; secret?: boolean; testId?: string };

/**
 * Shows values exactly once: it cannot be dismissed, and Done stays disabled until the user
 * confirms they saved them. Open while `fields` is set; the caller refreshes only after it closes.
 */
export function RevealDialog({
  fields,
  title,
  description,
  confirm,
  onClose,
}: {
  fields: RevealField[] | null;
  title: string;
  description: string;
  confirm: string;
  onClose: () => void;
}) {
  const [saved, setSaved] = useState(false);
  const close = () => {
    setSaved(false);
    onClose();
  };
  return (
    <Dialog open={!!fields} onClose={close} title={title} dismissible={false} size="lg" description={description}>
      {fields ? (
        <div className="space-y-4">
          <dl className="space-y-3 text-sm">
            {fields.map((f) => (
              <div key={f.label}>
                <dt className="font-medium text-slate-700">{f.label}</dt>
                {f.copy ? (
                  <dd className="mt-0.5 flex items-center gap-1">
                    <code
                      data-testid={f.testId}
                      className={cn(
                        "break-all rounded px-2 py-1 font-mono text-xs",
                        f.secret ? "bg-amber-50 text-amber-950 ring-1 ring-amber-600/30" : "bg-slate-100",
                      )}
                    >
                      {f.value}
                    </code>
                    <CopyButton value={f.value} label={f.copy.label} toast={f.copy.toast} />
                  </dd>
                ) : (
                  <dd className="mt-0.5 text-slate-900">{f.value}</dd>
                )}
              </div>
            ))}
          </dl>
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input
              type="checkbox"
              checked={saved}
              onChange={(e) => setSaved(e.target.checked)}
              className="h-4 w-4 rounded border-slate-300 accent-brand-600"
            />
            {confirm}
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
