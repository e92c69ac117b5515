import { formatDateTime } from "@/components/keys/format";
import type { AuditRowDto } from "@/lib/data/audit";

/** The log's rows, newest first; before/after are the JSON the row stores, as the hash covers it. */
export function AuditTable({ rows }: { rows: AuditRowDto[] }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
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
              <td className="px-3 py-2 text-slate-700">
                {r.keyId ? (r.keyName ?? <span className="font-mono text-xs">{r.keyId}</span>) : "—"}
              </td>
              <td className="px-3 py-2 font-mono text-xs text-slate-700">{r.clientIp ?? "—"}</td>
              <td className="max-w-md px-3 py-2 font-mono text-xs break-words text-slate-600">
                {r.before ? <div>before: {r.before}</div> : null}
                {r.after ? <div>after: {r.after}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
