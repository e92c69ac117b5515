"use client";
import { useState } from "react";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import type { BulkRotationResult } from "@/lib/keys/services/rotate-environment";
import { formatDateTime } from "./format";

type Rotated = Extract<BulkRotationResult, { outcome: "rotated" }>;

/** One line per key, tab-separated, with a header row: pastes into a spreadsheet as it is. */
export const secretsTable = (issued: Rotated[]) =>
  [
    "name\taccess_key\tsecret\tprevious_expires_at",
    ...issued.map((s) => `${s.name}\t${s.accessKey}\t${s.secret}\t${s.previousExpiresAt}`),
  ].join("\n");

/** A .env file: each key's access key and secret under a variable named after the key. */
export function secretsEnv(issued: Rotated[]) {
  const used = new Map<string, number>();
  return issued
    .map((s) => {
      const base =
        s.name
          .toUpperCase()
          .replace(/[^A-Z0-9]+/g, "_")
          .replace(/^_+|_+$/g, "") || "KEY";
      const n = (used.get(base) ?? 0) + 1;
      used.set(base, n);
      const v = `KEYPORT_${base}${n > 1 ? `_${n}` : ""}`;
      return `# ${s.name.replace(/[\r\n]/g, " ")}: the previous key stops ${s.previousExpiresAt}\n${v}_ACCESS_KEY=${s.accessKey}\n${v}_SECRET=${s.secret}\n`;
    })
    .join("\n");
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/**
 * What a bulk rotation did, key by key: each new access key and secret (shown once), when its
 * previous key stops, "Copy all" and "Download .env"; and the keys left mid-rotation.
 */
export function BulkSecretsDialog({ issued: results, onClose }: { issued: BulkRotationResult[] | null; onClose: () => void }) {
  const [saved, setSaved] = useState(false);
  const issued = (results ?? []).filter((r): r is Rotated => r.outcome === "rotated");
  const left = (results ?? []).filter((r) => r.outcome === "left-mid-rotation");
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
            <li key={s.keyId} className="space-y-1 rounded-lg border border-slate-200 p-2 text-sm">
              <p className="font-medium">
                {s.name}{" "}
                <span className="font-normal text-slate-600">· {s.finishedWindow ? "grace window finished, then rotated" : "rotated"}</span>
              </p>
              <dl className="grid grid-cols-[auto_1fr] items-center gap-x-2 gap-y-1">
                <dt className="text-xs text-slate-600">Access key</dt>
                <dd className="flex min-w-0 items-center gap-1">
                  <code className="break-all font-mono text-xs">{s.accessKey}</code>
                  <CopyButton value={s.accessKey} label={`Copy access key of ${s.name}`} toast="Access key copied" />
                </dd>
                <dt className="text-xs text-slate-600">Secret</dt>
                <dd className="flex min-w-0 items-center gap-1">
                  <code className="break-all rounded bg-amber-50 px-1.5 py-0.5 font-mono text-xs ring-1 ring-amber-600/30">{s.secret}</code>
                  <CopyButton value={s.secret} label={`Copy secret of ${s.name}`} toast="Secret key copied" />
                </dd>
                <dt className="text-xs text-slate-600">Previous key</dt>
                <dd className="text-xs text-slate-700">stops {formatDateTime(s.previousExpiresAt)}</dd>
              </dl>
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
        {issued.length ? (
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <CopyButton value={secretsTable(issued)} label="Copy all" toast="All secrets copied" />
            <span>Copy all (name, access key, secret and when the previous key stops, one key per line)</span>
            <Button variant="secondary" size="sm" onClick={() => download("keyport-rotated.env", secretsEnv(issued))}>
              Download .env
            </Button>
          </div>
        ) : null}
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
