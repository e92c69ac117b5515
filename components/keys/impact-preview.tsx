"use client";
import { useEffect, useState } from "react";
import { impactPreviewAction } from "@/lib/actions/impact-preview";
import { RECENT_USE_LABEL, type ImpactPreview, type ImpactScope } from "@/lib/keys/impact";
import { cn } from "@/components/ui/cn";

/** The keys a dialog would act on, and which of their credentials would stop working. */
export interface ImpactRequest {
  merchantId: string;
  keyIds: readonly string[];
  scope: ImpactScope;
}

export type ImpactLoaded = { for: string; data?: ImpactPreview; error?: string };

/** Fetches the preview each time the dialog opens (and again when the keys change), never while it is closed. */
export function useImpactPreview(request: ImpactRequest | null | undefined, open: boolean): ImpactLoaded | null {
  const [loaded, setLoaded] = useState<ImpactLoaded | null>(null);
  const merchantId = request?.merchantId ?? "";
  const scope = request?.scope ?? "all";
  const ids = request?.keyIds.join(",") ?? "";
  const wanted = open && ids ? `${merchantId}|${scope}|${ids}` : "";
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    impactPreviewAction(merchantId, { keyIds: ids.split(","), scope }).then(
      (res) => live && setLoaded(res.ok ? { for: wanted, data: res.data } : { for: wanted, error: res.error }),
      () => live && setLoaded({ for: wanted, error: "The traffic could not be loaded." }),
    );
    return () => {
      live = false;
    };
  }, [wanted, merchantId, scope, ids]);
  return loaded?.for === wanted ? loaded : null;
}

/**
 * The traffic that would break (successful verifications only), read out by screen readers as it
 * arrives (a status region). A credential used in the last 15 minutes is marked as a warning.
 */
export function ImpactNote({ loaded, className }: { loaded: ImpactLoaded | null; className?: string }) {
  const p = loaded?.data;
  const warn = !!p?.recent;
  return (
    <div
      role="status"
      data-warning={warn || undefined}
      className={cn(
        "rounded-lg p-3 text-sm ring-1",
        warn ? "bg-red-50 text-red-950 ring-red-600/30" : "bg-slate-50 text-slate-800 ring-slate-900/10",
        className,
      )}
    >
      <p className="font-medium">
        {warn ? (
          <>
            <span aria-hidden="true">⚠ </span>
            {RECENT_USE_LABEL}
          </>
        ) : (
          "Traffic that stops working"
        )}
      </p>
      <p className="mt-0.5">{p ? p.text : loaded?.error ? loaded.error : "Loading the last 7 days of traffic…"}</p>
    </div>
  );
}
