"use client";
import { useState } from "react";
import dynamic from "next/dynamic";
import { useRouter, useSearchParams } from "next/navigation";
import { Button, buttonClass } from "@/components/ui/button";
import { useNeeded } from "@/components/ui/use-needed";
import type { BulkResult } from "@/lib/keys/services/bulk-keys";
import type { BulkAction } from "@/lib/keys/services/bulk-rules";

// Loaded when a bulk action is first chosen: the grid's first load stays as small as it was.
const BulkActionDialog = dynamic(() => import("./bulk-action-dialog").then((m) => m.BulkActionDialog), { ssr: false });
const BulkResultDialog = dynamic(() => import("./bulk-result-dialog").then((m) => m.BulkResultDialog), { ssr: false });

/** The grid's filters that the CSV export keeps (not the page: the export is every matching key, or the selection). */
const EXPORT_FILTERS = ["env", "channel", "q", "sort", "dir"];

export interface BulkMay {
  toggle: boolean;
  /** Owners: revoke and delete, behind one authenticator code for the batch. */
  owner: boolean;
}

/** "N selected" with the actions the role may take; each applies only where the rules allow (the dialog says which). */
export function BulkBar({
  merchantId,
  selected,
  may,
  hasTotp,
  onClear,
}: {
  merchantId: string;
  selected: { id: string; name: string }[];
  may: BulkMay;
  hasTotp: boolean;
  onClear: () => void;
}) {
  const router = useRouter();
  const params = useSearchParams();
  const [action, setAction] = useState<BulkAction | null>(null);
  const [result, setResult] = useState<BulkResult | null>(null);
  const needResult = useNeeded(!!result);
  const exportQuery = new URLSearchParams();
  for (const k of EXPORT_FILTERS) {
    const v = params.get(k);
    if (v) exportQuery.set(k, v);
  }
  exportQuery.set("ids", selected.map((s) => s.id).join(","));
  const actions: { action: BulkAction; label: string; show: boolean; danger?: boolean }[] = [
    { action: "disable", label: "Disable", show: may.toggle },
    { action: "enable", label: "Enable", show: may.toggle },
    { action: "revoke", label: "Revoke", show: may.owner, danger: true },
    { action: "delete", label: "Delete", show: may.owner, danger: true },
  ];
  return (
    <div
      role="region"
      aria-label="Bulk actions"
      className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-brand-50 px-4 py-2 text-sm"
    >
      <span className="mr-2 font-medium text-slate-900" aria-live="polite">
        {selected.length} selected
      </span>
      {actions
        .filter((a) => a.show)
        .map((a) => (
          <Button key={a.action} size="sm" variant={a.danger ? "danger" : "secondary"} onClick={() => setAction(a.action)}>
            {a.label}
          </Button>
        ))}
      <a
        href={`/merchants/${merchantId}/developers/keys.csv?${exportQuery.toString()}`}
        className={buttonClass("secondary", "sm")}
        download
      >
        Export
      </a>
      <Button size="sm" variant="ghost" className="ml-auto" onClick={onClear}>
        Clear selection
      </Button>
      {action ? (
        <BulkActionDialog
          merchantId={merchantId}
          action={action}
          keyIds={selected.map((s) => s.id)}
          hasTotp={hasTotp}
          onClose={() => setAction(null)}
          onDone={(data) => {
            setAction(null);
            setResult(data);
          }}
        />
      ) : null}
      {needResult ? (
        <BulkResultDialog
          result={result}
          onClose={() => {
            setResult(null);
            onClear();
            router.refresh();
          }}
        />
      ) : null}
    </div>
  );
}
