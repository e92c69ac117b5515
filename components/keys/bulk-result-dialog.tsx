"use client";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import type { BulkResult } from "@/lib/keys/services/bulk-keys";

/** "Bulk action result": what was changed and what was refused, and why. Loaded on first use by BulkBar. */
export function BulkResultDialog({ result, onClose }: { result: BulkResult | null; onClose: () => void }) {
  return (
    <Dialog open={!!result} onClose={onClose} title="Bulk action result">
      {result ? <BulkResultList result={result} /> : null}
      <DialogFooter>
        <Button onClick={onClose}>Done</Button>
      </DialogFooter>
    </Dialog>
  );
}

function BulkResultList({ result }: { result: BulkResult }) {
  return (
    <div className="space-y-4 text-sm">
      <section aria-label="Succeeded">
        <h3 className="font-medium text-slate-900">Succeeded ({result.done.length})</h3>
        {result.done.length ? (
          <ul className="mt-1 list-disc pl-5 text-slate-700">
            {result.done.map((d) => (
              <li key={d.keyId}>{d.name}</li>
            ))}
          </ul>
        ) : (
          <p className="mt-1 text-slate-600">No key was changed.</p>
        )}
      </section>
      {result.refused.length ? (
        <section aria-label="Refused">
          <h3 className="font-medium text-slate-900">Refused ({result.refused.length})</h3>
          <ul className="mt-1 list-disc pl-5 text-slate-700">
            {result.refused.map((r) => (
              <li key={r.keyId}>
                {r.name}: {r.reason}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
