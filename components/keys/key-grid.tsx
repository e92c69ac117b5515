"use client";
import { useMemo, useState } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import dynamic from "next/dynamic";
import { functionalUpdate, useTable, type RowSelectionState, type SortingState } from "@tanstack/react-table";
import type { KeyRowDto } from "@/lib/data/keys";
import { keyColumns, keyTableFeatures, type SelectHandlers } from "./key-columns";
import type { BulkMay } from "./bulk-bar";
import { Button } from "@/components/ui/button";
import { ScrollRegion } from "@/components/ui/scroll-region";

// Loaded with the first selection: most visits select nothing. `ssr: false` gives it a Suspense
// boundary of its own (next/dynamic adds none otherwise), so the checkbox's update commits at once
// while the bar loads, instead of suspending the page up to the nearest boundary. The same holds for
// every component here that loads on a user's action.
const BulkBar = dynamic(() => import("./bulk-bar").then((m) => m.BulkBar), { ssr: false });

interface Props {
  merchantId: string;
  rows: KeyRowDto[];
  total: number;
  page: number;
  pageSize: number;
  sort?: string;
  dir: "asc" | "desc";
  /** The bulk actions the role may take (Export is everyone's). */
  may: BulkMay;
  hasTotp: boolean;
}

/** Server-sorted, server-paged grid: every change goes to the URL, the server renders the rows. */
export function KeyGrid({ merchantId, rows, total, page, pageSize, sort, dir, may, hasTotp }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  // Made once: the handlers read the row from the box and update the selection functionally.
  const columns = useMemo(() => {
    const select: SelectHandlers = {
      onRow: (e) => {
        const { value: id, checked } = e.currentTarget;
        setRowSelection((s) => {
          const next = { ...s };
          if (checked) next[id] = true;
          else delete next[id];
          return next;
        });
      },
    };
    return keyColumns(merchantId, select);
  }, [merchantId]);
  // Only rows on this page count: a key selected on another page or filtered out is not acted on.
  const selected = rows.filter((r) => rowSelection[r.id]);
  const sorting: SortingState = sort ? [{ id: sort, desc: dir === "desc" }] : [];
  // Pages are the server's: two numbers, no table feature needed.
  const hasPrevious = page > 1;
  const hasNext = page * pageSize < total;

  const go = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) v ? next.set(k, v) : next.delete(k);
    router.push(`${pathname}?${next.toString()}`, { scroll: false });
  };

  const table = useTable({
    features: keyTableFeatures,
    columns,
    data: rows,
    getRowId: (r) => r.id,
    manualSorting: true,
    enableMultiSort: false,
    state: { sorting, rowSelection },
    enableRowSelection: true,
    onRowSelectionChange: setRowSelection,
    onSortingChange: (u) => {
      const [s] = functionalUpdate(u, sorting);
      go({ sort: s?.id, dir: s ? (s.desc ? "desc" : "asc") : undefined, page: undefined });
    },
  });

  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  return (
    <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
      {selected.length ? (
        <BulkBar merchantId={merchantId} selected={selected} may={may} hasTotp={hasTotp} onClear={() => setRowSelection({})} />
      ) : null}
      <ScrollRegion label="API keys table" className="overflow-x-auto">
        <table className="w-full min-w-[960px] text-left text-sm">
          <caption className="sr-only">API keys{sort ? "" : ", sorted by status and then newest first"}</caption>
          <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-600">
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {hg.headers.map((h) => {
                  const dirNow = h.column.getIsSorted();
                  return (
                    <th
                      key={h.id}
                      scope="col"
                      className="whitespace-nowrap px-3 py-2.5"
                      aria-sort={dirNow === "asc" ? "ascending" : dirNow === "desc" ? "descending" : undefined}
                    >
                      {h.column.getCanSort() ? (
                        <button
                          type="button"
                          onClick={h.column.getToggleSortingHandler()}
                          className="inline-flex items-center gap-1 uppercase tracking-wide hover:text-slate-900"
                        >
                          <table.FlexRender header={h} />
                          <span aria-hidden="true" className="text-[10px]">
                            {dirNow === "asc" ? "▲" : dirNow === "desc" ? "▼" : "↕"}
                          </span>
                        </button>
                      ) : (
                        <table.FlexRender header={h} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} className="border-t border-slate-100 hover:bg-slate-50/60">
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className="whitespace-nowrap px-3 py-3 text-slate-700">
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <nav
        aria-label="Pagination"
        className="flex items-center justify-between border-t border-slate-100 px-4 py-2.5 text-sm text-slate-600"
      >
        <span>
          {first}–{first + rows.length - (rows.length ? 1 : 0)} of {total}
        </span>
        <span className="flex gap-2">
          <Button variant="secondary" size="sm" onClick={() => go({ page: String(page - 1) })} disabled={!hasPrevious}>
            Previous
          </Button>
          <Button variant="secondary" size="sm" onClick={() => go({ page: String(page + 1) })} disabled={!hasNext}>
            Next
          </Button>
        </span>
      </nav>
    </div>
  );
}
