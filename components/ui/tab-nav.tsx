import Link from "next/link";
import { cn } from "./cn";

/** A row of links, one per view of the same page, with the one shown marked as current. */
export function TabNav({ label, tabs }: { label: string; tabs: { href: string; label: string; current: boolean }[] }) {
  return (
    <nav aria-label={label} className="inline-flex rounded-lg bg-slate-100 p-0.5">
      {tabs.map((t) => (
        <Link
          key={t.label}
          href={t.href}
          aria-current={t.current ? "page" : undefined}
          className={cn(
            "rounded-md px-3 py-1 text-sm font-medium",
            t.current ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900",
          )}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
