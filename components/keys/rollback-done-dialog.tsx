"use client";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { ScrollRegion } from "@/components/ui/scroll-region";

export type RolledBack = { keyId: string; name: string; accessKey: string };

/** The confirmation after a rollback, single or bulk: which keys, and what now works. */
export function RollbackDoneDialog({ keys, onClose }: { keys: RolledBack[] | null; onClose: () => void }) {
  const one = keys?.length === 1;
  return (
    <Dialog
      open={!!keys}
      onClose={onClose}
      title={one ? "API key rolled back" : "API keys rolled back"}
      description={
        one
          ? "Its previous secret works again, with no expiry. The new secret no longer works."
          : "For each key, the previous secret works again, with no expiry. The new secrets no longer work."
      }
    >
      <ScrollRegion label="Rolled back keys, scrollable" className="max-h-72 overflow-y-auto rounded-lg border border-slate-200">
        <ul aria-label="Rolled back keys" className="divide-y divide-slate-100 text-sm">
          {(keys ?? []).map((k) => (
            <li key={k.keyId} className="flex flex-wrap items-baseline justify-between gap-x-3 px-3 py-2">
              <span className="font-medium text-slate-900">{k.name}</span>
              <span className="break-all font-mono text-xs text-slate-600">Access key {k.accessKey}</span>
            </li>
          ))}
        </ul>
      </ScrollRegion>
      <DialogFooter>
        <Button onClick={onClose}>Done</Button>
      </DialogFooter>
    </Dialog>
  );
}
