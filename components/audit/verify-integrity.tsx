"use client";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { formatDateTime } from "@/components/keys/format";
import { verifyAuditChainAction } from "@/lib/actions/verify-audit-chain";
import type { ChainVerification } from "@/lib/audit/verify";

const REASONS: Record<NonNullable<ChainVerification["broken"]>["reason"], (seq: number) => string> = {
  changed: (seq) => `Row #${seq} does not match its hash: it, or the hash of the row before it, was changed after it was written.`,
  "missing-before": (seq) => `The row before row #${seq} is missing: rows were removed from the log.`,
  "out-of-order": (seq) => `Row #${seq} is out of order: rows were renumbered.`,
  unchained: () => "A row has no place in the chain: it was written around the database's chaining.",
};

/** "Verify integrity": the server re-walks the whole chain; the result is read out to screen readers. */
export function VerifyIntegrity({ merchantId }: { merchantId: string }) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<{ ok: true; data: ChainVerification } | { ok: false; error: string } | null>(null);
  const verify = () =>
    start(async () => {
      const res = await verifyAuditChainAction(merchantId, {});
      setResult(res.ok ? { ok: true, data: res.data } : { ok: false, error: res.error });
    });
  return (
    <div className="space-y-3">
      <Button variant="secondary" onClick={verify} disabled={pending}>
        {pending ? "Verifying…" : "Verify integrity"}
      </Button>
      <div role="status" aria-live="polite">
        {result === null ? null : !result.ok ? (
          <p className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{result.error}</p>
        ) : result.data.broken ? (
          <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
            <p className="font-semibold">Integrity check failed</p>
            <p>{REASONS[result.data.broken.reason](result.data.broken.seq)}</p>
            <p className="mt-1 text-red-800">
              First broken row: #{result.data.broken.seq} · {result.data.broken.action} · {formatDateTime(result.data.broken.at)} · event{" "}
              <code className="font-mono text-xs">{result.data.broken.id}</code>
            </p>
          </div>
        ) : (
          <p className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
            <span className="font-semibold">Integrity verified:</span> all {result.data.checked.toLocaleString("en-GB")}{" "}
            {result.data.checked === 1 ? "row follows" : "rows follow"} the chain
            {result.data.latest ? ` up to row #${result.data.latest.seq}` : ""}.
          </p>
        )}
      </div>
    </div>
  );
}
