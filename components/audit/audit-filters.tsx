import Link from "next/link";
import { controlClass } from "@/components/ui/field";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { AuditQuery } from "@/lib/data/audit";
import { formatDate } from "@/components/keys/format";

interface Options {
  keys: { id: string; name: string }[];
  actors: string[];
  actions: string[];
}

function Select({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value?: string;
  options: { value: string; label: string }[];
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={`audit-${name}`} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <select id={`audit-${name}`} name={name} defaultValue={value ?? ""} className={cn(controlClass, "w-48 py-1.5")}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A plain GET form: the filters live in the URL and the server filters and pages the rows. */
export function AuditFilters({ action, query, options }: { action: string; query: AuditQuery; options: Options }) {
  return (
    <form method="get" action={action} aria-label="Filter the audit log" className="flex flex-wrap items-end gap-3">
      <Select name="key" label="Key" value={query.key} options={options.keys.map((k) => ({ value: k.id, label: k.name }))} />
      <Select name="actor" label="Actor" value={query.actor} options={options.actors.map((a) => ({ value: a, label: a }))} />
      <Select name="action" label="Action" value={query.action} options={options.actions.map((a) => ({ value: a, label: a }))} />
      {/* Days are typed as the app writes them ("7 Dec 2026"), not in the browser's own date format. */}
      {(["from", "to"] as const).map((name) => {
        const bad = query.badDates?.includes(name);
        return (
          <div key={name} className="space-y-1">
            <label htmlFor={`audit-${name}`} className="block text-xs font-medium text-slate-700">
              {name === "from" ? "From" : "To"}
            </label>
            <input
              id={`audit-${name}`}
              name={name}
              defaultValue={query[name] ? formatDate(`${query[name]}T00:00:00Z`) : ""}
              placeholder="7 Dec 2026"
              autoComplete="off"
              aria-invalid={bad || undefined}
              aria-describedby={bad ? `audit-${name}-error` : undefined}
              className={cn(controlClass, "w-36 py-1.5")}
            />
            {bad ? (
              <p id={`audit-${name}-error`} className="text-xs font-medium text-red-700">
                Not a day: write it as 7 Dec 2026.
              </p>
            ) : null}
          </div>
        );
      })}
      <button type="submit" className={buttonClass("primary", "sm")}>
        Apply filters
      </button>
      <Link href={action} className="py-1.5 text-sm font-medium text-brand-700 hover:underline">
        Clear filters
      </Link>
    </form>
  );
}
