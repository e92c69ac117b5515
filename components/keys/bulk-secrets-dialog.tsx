"use client";
import { useState } from "react";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import type { BulkRotationResult } from "@/lib/keys/services/rotate-environment";
import { formatDateTime } from "./format";

/** What a bulk rotation did, key by key: every new secret shown once (with "Copy all"), and the keys left mid-rotation. */
export function BulkSecretsDialog({ issued: results, onClose }: { issued: BulkRotationResult[] | null; onClose: () => void }) {
  const [saved, setSaved] = useState(false);
  const issued = (results ?? []).filter((r): r is Extract<BulkRotationResult, { outcome: "rotated" }> => r.outcome === "rotated");
  const left = (results ?? []).filter((r) => r.outcome === "left-mid-rotation");
  const all = issued.map((s) => `${s.name}\t${s.accessKey}\t${s.secret}`).join("\n");
  return (
    <Dialog
      open={!!results}
      onClose={() => {}}
      dismissible={false}
      size="lg"
      title="New secret keys"
      description="These secrets will not be shown again. Copy them now and update your integrations before the previous keys stop working."
    >
      <div className="space-y-4">
        <ul aria-label="New secrets" className="max-h-80 space-y-2 overflow-y-auto">
          {issued.map((s) => (
            <li key={s.keyId} className="rounded-lg border border-slate-200 p-2 text-sm">
              <p className="font-medium">
                {s.name}{" "}
                <span className="font-normal text-slate-600">· {s.finishedWindow ? "grace window finished, then rotated" : "rotated"}</span>
              </p>
              <p className="flex items-center gap-1">
                <code className="break-all rounded bg-amber-50 px-1.5 py-0.5 font-mono text-xs ring-1 ring-amber-600/30">{s.secret}</code>
                <CopyButton value={s.secret} label={`Copy secret of ${s.name}`} toast="Secret key copied" />
              </p>
            </li>
          ))}
        </ul>
        {left.length ? (
          <div role="group" aria-label="Not rotated" className="rounded-lg bg-slate-50 p-3 text-sm text-slate-700">
            <p className="font-medium text-slate-900">Not rotated: mid-rotation</p>
            <ul className="mt-1 list-disc pl-5">
              {left.map((k) => (
                <li key={k.keyId}>
                  {k.name}: unchanged, its previous key stops {formatDateTime(k.previousExpiresAt)}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="flex items-center gap-2 text-sm">
          <CopyButton value={all} label="Copy all" toast="All secrets copied" />
          <span>Copy all (name, access key and secret, one key per line)</span>
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} className="h-4 w-4 accent-brand-600" />I have
          saved these secret keys
        </label>
        <DialogFooter>
          <Button
            disabled={!saved}
            onClick={() => {
              setSaved(false);
              onClose();
            }}
          >
            Done
          </Button>
        </DialogFooter>
      </div>
    </Dialog>
  );
}
