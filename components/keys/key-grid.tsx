"use client";
import { useMemo } from "react";
import { useTable } from "@tanstack/react-table";
import type { KeyRowDto } from "@/lib/data/keys";
import { keyColumns, keyTableFeatures } from "./key-columns";

export function KeyGrid({ merchantId, rows }: { merchantId: string; rows: KeyRowDto[] }) {
  const columns = useMemo(() => keyColumns(merchantId), [merchantId]);
  const table = useTable({ features: keyTableFeatures, columns, data: rows, getRowId: (r) => r.id });
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
      <table className="w-full min-w-[900px] text-left text-sm">
        <caption className="sr-only">API keys, sorted by status and then newest first</caption>
        <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-600">
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id}>
              {hg.headers.map((h) => (
                <th key={h.id} scope="col" className="whitespace-nowrap px-4 py-2.5">
                  <table.FlexRender header={h} />
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="border-t border-slate-100 hover:bg-slate-50/60">
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className="whitespace-nowrap px-4 py-3 text-slate-700">
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
