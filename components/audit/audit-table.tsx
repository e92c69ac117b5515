import { formatDateTime } from "@/components/keys/format";
import { ScrollRegion } from "@/components/ui/scroll-region";
import type { AuditRowDto } from "@/lib/data/audit";

const keyOf = (r: AuditRowDto) => (r.keyId ? (r.keyName ?? <span className="font-mono text-xs">{r.keyId}</span>) : "—");

function Changes({ row }: { row: AuditRowDto }) {
  return (
    <>
      {row.before ? <div>before: {row.before}</div> : null}
      {row.after ? <div>after: {row.after}</div> : null}
    </>
  );
}

/**
 * The log's rows, newest first; before/after are the JSON the row stores, as the hash covers it.
 * A table from the small breakpoint up; on a phone each row is a card, its fields stacked.
 */
export function AuditTable({ rows }: { rows: AuditRowDto[] }) {
  return (
    <>
      <ScrollRegion
        label="Audit log table"
        className="hidden overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm sm:block"
      >
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Audit log, newest first</caption>
          <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              {["#", "Time", "Actor", "Action", "Key", "Client IP", "Changes"].map((h) => (
                <th key={h} scope="col" className="px-3 py-2.5 whitespace-nowrap">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-t border-slate-100 align-top">
                <td className="px-3 py-2 font-mono text-xs text-slate-600">{r.seq ?? "—"}</td>
                <td className="px-3 py-2 whitespace-nowrap text-slate-700">
                  <time dateTime={r.at}>{formatDateTime(r.at)}</time>
                </td>
                <td className="px-3 py-2 text-slate-900">{r.actor}</td>
                <td className="px-3 py-2 font-mono text-xs text-slate-900">{r.action}</td>
                <td className="px-3 py-2 text-slate-700">{keyOf(r)}</td>
                <td className="px-3 py-2 font-mono text-xs text-slate-700">{r.clientIp ?? "—"}</td>
                <td className="max-w-md px-3 py-2 font-mono text-xs break-words text-slate-600">
                  <Changes row={r} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <ol aria-label="Audit events, newest first" className="space-y-2 sm:hidden">
        {rows.map((r) => (
          <li key={r.id} className="rounded-xl border border-slate-200 bg-white p-3 text-sm shadow-sm">
            <p className="flex flex-wrap items-baseline justify-between gap-x-3">
              <span className="font-mono text-xs font-medium break-all text-slate-900">{r.action}</span>
              <time dateTime={r.at} className="text-xs text-slate-600">
                {formatDateTime(r.at)}
              </time>
            </p>
            <dl className="mt-2 grid grid-cols-[5.5rem_minmax(0,1fr)] gap-x-2 gap-y-1 text-xs">
              <dt className="text-slate-500">Actor</dt>
              <dd className="break-words text-slate-900">{r.actor}</dd>
              <dt className="text-slate-500">Key</dt>
              <dd className="break-words text-slate-700">{keyOf(r)}</dd>
              <dt className="text-slate-500">Client IP</dt>
              <dd className="font-mono break-all text-slate-700">{r.clientIp ?? "—"}</dd>
              <dt className="text-slate-500">#</dt>
              <dd className="font-mono text-slate-600">{r.seq ?? "—"}</dd>
              {r.before || r.after ? (
                <>
                  <dt className="text-slate-500">Changes</dt>
                  <dd className="font-mono break-all text-slate-600">
                    <Changes row={r} />
                  </dd>
                </>
              ) : null}
            </dl>
          </li>
        ))}
      </ol>
    </>
  );
}
