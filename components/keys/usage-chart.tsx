import Link from "next/link";
import type { UsagePoint } from "@/lib/data/usage";
import { cn } from "@/components/ui/cn";

/** Success and failure per hour (24 h) or per day (7 d), as stacked bars. */
export function UsageChart({
  points,
  range,
  hrefFor,
}: {
  points: UsagePoint[];
  range: "24h" | "7d";
  hrefFor: (r: "24h" | "7d") => string;
}) {
  const max = Math.max(1, ...points.map((p) => p.success + p.failure));
  const ok = points.reduce((n, p) => n + p.success, 0);
  const bad = points.reduce((n, p) => n + p.failure, 0);
  const w = 100 / points.length;
  return (
    <div className="space-y-3">
      <div className="flex items-center justify-between">
        <p className="text-sm text-slate-700">
          <span className="font-semibold text-emerald-800">{ok}</span> succeeded · <span className="font-semibold text-red-800">{bad}</span>{" "}
          failed
        </p>
        <nav aria-label="Usage range" className="inline-flex rounded-lg bg-slate-100 p-0.5 text-xs">
          {(["24h", "7d"] as const).map((r) => (
            <Link
              key={r}
              href={hrefFor(r)}
              scroll={false}
              aria-current={r === range ? "page" : undefined}
              className={cn("rounded-md px-2 py-0.5 font-medium", r === range ? "bg-white shadow-sm" : "text-slate-600")}
            >
              {r === "24h" ? "24 hours" : "7 days"}
            </Link>
          ))}
        </nav>
      </div>
      <svg
        viewBox="0 0 100 40"
        preserveAspectRatio="none"
        role="img"
        aria-label={`Verifications over the last ${range === "24h" ? "24 hours" : "7 days"}: ${ok} succeeded, ${bad} failed`}
        className="h-28 w-full rounded bg-slate-50"
      >
        {points.map((p, i) => {
          const hs = (38 * p.success) / max;
          const hf = (38 * p.failure) / max;
          return (
            <g key={p.at}>
              <rect x={i * w + w * 0.15} width={w * 0.7} y={40 - hs} height={hs} className="fill-emerald-500" />
              <rect x={i * w + w * 0.15} width={w * 0.7} y={40 - hs - hf} height={hf} className="fill-red-500" />
            </g>
          );
        })}
      </svg>
    </div>
  );
}
