import Link from "next/link";
import { cn } from "@/components/ui/cn";

/**
 * "Table" or "Cards", kept in the URL (?view=cards) beside the grid's other parameters. Below md
 * only cards are shown, so it hides there. Rendered on the server: every change of the grid's
 * parameters is a navigation, so `path` and `params` are the page's own.
 */
export function ViewToggle({ view, path, params }: { view: "table" | "cards"; path: string; params: URLSearchParams }) {
  const href = (v: "table" | "cards") => {
    const next = new URLSearchParams(params);
    if (v === "cards") next.set("view", "cards");
    else next.delete("view");
    const qs = next.toString();
    return qs ? `${path}?${qs}` : path;
  };
  return (
    <nav aria-label="View" className="hidden rounded-lg bg-slate-100 p-0.5 md:inline-flex">
      {(["table", "cards"] as const).map((v) => (
        <Link
          key={v}
          href={href(v)}
          scroll={false}
          aria-current={view === v ? "page" : undefined}
          className={cn(
            "rounded-md px-3 py-1 text-sm font-medium",
            view === v ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900",
          )}
        >
          {v === "table" ? "Table" : "Cards"}
        </Link>
      ))}
    </nav>
  );
}
