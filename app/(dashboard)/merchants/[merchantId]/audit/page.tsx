import type { Metadata } from "next";
import Link from "next/link";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { VerifyIntegrity } from "@/components/audit/verify-integrity";
import { formatDateTime } from "@/components/keys/format";
import { buttonClass } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { requireMerchant } from "@/lib/data/merchants";
import { auditFilterOptions, auditSearchParams, latestAuditHash, listAuditEvents, parseAuditQuery } from "@/lib/data/audit";
import { can } from "@/lib/core/permissions";

export const metadata: Metadata = { title: "Audit log" };

type Props = { params: Promise<{ merchantId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditPage({ params, searchParams }: Props) {
  const { merchantId } = await params;
  const { access } = await requireMerchant(merchantId);
  const heading = (
    <h2 id="audit-heading" className="text-lg font-semibold">
      Audit log
    </h2>
  );
  if (!can(access.role, "audit.read"))
    return (
      <section aria-labelledby="audit-heading" className="space-y-2">
        {heading}
        <p className="text-sm text-slate-600">Only owners and admins can see the audit log. Each key's own history is on its page.</p>
      </section>
    );
  const query = parseAuditQuery(await searchParams);
  const [{ rows, total }, options, latest] = await Promise.all([
    listAuditEvents(merchantId, query),
    auditFilterOptions(merchantId),
    latestAuditHash(merchantId),
  ]);
  const base = `/merchants/${merchantId}/audit`;
  const filters = auditSearchParams(query);
  const pageHref = (page: number) => {
    const p = new URLSearchParams(filters);
    if (page > 1) p.set("page", String(page));
    return p.size ? `${base}?${p}` : base;
  };
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  const first = total ? (query.page - 1) * query.pageSize + 1 : 0;
  const last = Math.min(total, query.page * query.pageSize);
  return (
    <section aria-labelledby="audit-heading" className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          {heading}
          <p className="text-sm text-slate-600">
            Every change to this account's keys and members. Each row is chained to the one before it by a SHA-256 hash, so an edited or
            removed row shows up when the chain is verified.
          </p>
        </div>
        <a href={`${base}/audit.csv${filters.size ? `?${filters}` : ""}`} download className={buttonClass("secondary", "sm")}>
          Export CSV
        </a>
      </div>
      <div className="grid gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-[minmax(0,1fr)_minmax(0,26rem)]">
        <div className="min-w-0 space-y-1">
          <h3 className="text-sm font-semibold text-slate-900">
            <label htmlFor="latest-hash">Latest hash</label>
          </h3>
          {latest ? (
            <>
              <div className="flex items-center gap-1">
                <input
                  id="latest-hash"
                  readOnly
                  value={latest.hash}
                  className="w-full min-w-0 rounded-md border border-slate-200 bg-slate-50 px-2 py-1 font-mono text-xs text-slate-800"
                />
                <CopyButton value={latest.hash} label="Copy latest hash" toast="Latest hash copied" />
              </div>
              <p className="text-xs text-slate-600">
                Row #{latest.seq}, {formatDateTime(latest.at)}. Note it down: if any earlier row is changed later, verifying will no longer
                reach this hash.
              </p>
            </>
          ) : (
            <p id="latest-hash" className="text-sm text-slate-600">
              No events yet.
            </p>
          )}
        </div>
        <VerifyIntegrity merchantId={merchantId} />
      </div>
      <AuditFilters action={base} query={query} options={options} />
      {rows.length ? (
        <AuditTable rows={rows} />
      ) : (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-600">
          {filters.size ? "No events match these filters." : "No events yet."}
        </p>
      )}
      <nav aria-label="Pages" className="flex items-center justify-between text-sm text-slate-600">
        <span>{total ? `Rows ${first}–${last} of ${total}` : "0 rows"}</span>
        <span className="flex items-center gap-2">
          {query.page > 1 ? (
            <Link href={pageHref(query.page - 1)} className={buttonClass("secondary", "sm")}>
              Previous
            </Link>
          ) : null}
          <span>
            Page {Math.min(query.page, pages)} of {pages}
          </span>
          {query.page < pages ? (
            <Link href={pageHref(query.page + 1)} className={buttonClass("secondary", "sm")}>
              Next
            </Link>
          ) : null}
        </span>
      </nav>
    </section>
  );
}
