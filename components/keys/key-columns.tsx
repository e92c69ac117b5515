"use client";
import Link from "next/link";
import { createColumnHelper, rowSelectionFeature, rowSortingFeature, tableFeatures } from "@tanstack/react-table";
import type { KeyRowDto } from "@/lib/data/keys";
import { CHANNEL_LABELS, ENVIRONMENT_LABELS } from "@/lib/keys/types";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { ExposedBadge, StatusBadge } from "./status-badge";
import { formatDate, formatDateTime } from "./format";

// The server sorts, filters and pages (manual modes): no client row models are registered.
export const keyTableFeatures = tableFeatures({ rowSortingFeature, rowSelectionFeature });
const col = createColumnHelper<typeof keyTableFeatures, KeyRowDto>();

/**
 * The checkbox column. One change handler for every row (it reads the row id from the box), made
 * once with the columns: selecting costs no new object per row per render.
 */
export interface SelectHandlers {
  onRow: (e: React.ChangeEvent<HTMLInputElement>) => void;
}
const checkboxClass = "h-4 w-4 accent-brand-600";

export const keyColumns = (merchantId: string, select: SelectHandlers) =>
  col.columns([
    col.display({
      id: "select",
      // A label with text, not only an aria-label: a header cell needs text of its own. The table
      // holds only this page's rows (the server pages), so "all rows" is this page.
      header: ({ table }) => (
        <label className="flex items-center">
          <input
            type="checkbox"
            className={checkboxClass}
            checked={table.getIsAllRowsSelected()}
            ref={(el) => {
              if (el) el.indeterminate = table.getIsSomeRowsSelected() && !table.getIsAllRowsSelected();
            }}
            onChange={table.getToggleAllRowsSelectedHandler()}
          />
          <span className="sr-only">Select all on this page</span>
        </label>
      ),
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={`Select ${row.original.name}`}
          className={checkboxClass}
          value={row.id}
          checked={row.getIsSelected()}
          onChange={select.onRow}
        />
      ),
    }),
    col.accessor("name", {
      header: "Name",
      cell: ({ row }) => (
        // Long names wrap instead of pushing the last columns out of the card (1440 px and below).
        <Link
          href={`/merchants/${merchantId}/developers/keys/${row.original.id}`}
          className="block min-w-32 max-w-56 whitespace-normal break-words font-medium text-slate-900 hover:text-brand-700 hover:underline"
        >
          {row.original.name}
        </Link>
      ),
    }),
    col.accessor("accessKeyHint", {
      header: "Access key",
      enableSorting: false,
      cell: ({ row }) => {
        const { accessKey, accessKeyHint, name } = row.original;
        return (
          <span className="flex items-center gap-1">
            <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">{accessKey ?? accessKeyHint}</code>
            {accessKey ? <CopyButton value={accessKey} label={`Copy access key of ${name}`} toast="Access key copied" /> : null}
          </span>
        );
      },
    }),
    col.accessor("environment", {
      header: "Environment",
      enableSorting: false,
      cell: (info) => <Badge tone={info.getValue() === "production" ? "blue" : "slate"}>{ENVIRONMENT_LABELS[info.getValue()]}</Badge>,
    }),
    col.accessor("channel", { header: "Channel", enableSorting: false, cell: (info) => CHANNEL_LABELS[info.getValue()] }),
    col.accessor("status", {
      header: "Status",
      cell: (info) => (
        <span className="flex flex-wrap items-center gap-1">
          <StatusBadge status={info.getValue()} />
          {info.row.original.exposed ? <ExposedBadge at={info.row.original.exposed.at} url={info.row.original.exposed.url} /> : null}
        </span>
      ),
    }),
    col.accessor("errorRate", {
      header: "Error rate",
      enableSorting: false,
      cell: (info) => {
        const r = info.getValue();
        if (!r || r.total === 0) return <span className="text-slate-500">No requests</span>;
        // Both counts in the cell itself: a tooltip never opens on a touch screen.
        return (
          <span className="tabular-nums">
            {((100 * r.failed) / r.total).toFixed(1)}%
            <span className="block text-xs text-slate-600">
              {r.total - r.failed} ok · {r.failed} failed
            </span>
          </span>
        );
      },
    }),
    col.accessor("lastUsedAt", {
      header: "Last used",
      sortDescFirst: true,
      cell: (info) => {
        const v = info.getValue();
        return v ? (
          <time dateTime={v} title={formatDateTime(v)}>
            {formatDate(v)}
          </time>
        ) : (
          <span className="text-slate-500">Never</span>
        );
      },
    }),
    col.accessor("expiresAt", {
      header: "Expires",
      sortDescFirst: false,
      cell: (info) => <time dateTime={info.getValue()}>{formatDate(info.getValue())}</time>,
    }),
  ]);
