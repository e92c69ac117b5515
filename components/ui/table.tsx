import { cn } from "./cn";
import { ScrollRegion } from "./scroll-region";

/** A header cell: a plain label, or one aligned right, or one only screen readers read. */
type Column = string | { label: string; align?: "right"; srOnly?: boolean };

/**
 * A data table in its card, header row included; the children are the body rows. The card is
 * relative so the sr-only caption, absolutely placed, cannot widen the page on a phone.
 * `empty`, when set, fills one full-width row after them.
 */
export function Table({
  caption,
  captionClassName = "sr-only",
  columns,
  className,
  wrapperClassName,
  empty,
  children,
}: {
  caption: string;
  captionClassName?: string;
  /** `false` leaves a column out, as in `manage && "Manage"`. */
  columns: (Column | false)[];
  /** Added to the table's classes, e.g. a min width. */
  className?: string;
  /** Added to the card around it, e.g. to hide it where the page shows cards instead. */
  wrapperClassName?: string;
  empty?: string | null;
  children: React.ReactNode;
}) {
  const cols = columns.filter((c) => c !== false).map((c) => (typeof c === "string" ? { label: c } : c));
  return (
    <ScrollRegion
      label={`${caption}, table`}
      className={cn("relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm", wrapperClassName)}
    >
      <table className={cn("w-full text-left text-sm", className)}>
        <caption className={captionClassName}>{caption}</caption>
        <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            {cols.map((c) => (
              <th key={c.label} scope="col" className={cn("px-4 py-2.5", c.align === "right" && "text-right")}>
                {c.srOnly ? <span className="sr-only">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {children}
          {empty ? (
            <tr>
              <td colSpan={cols.length} className="px-4 py-10 text-center text-slate-600">
                {empty}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
