import { appendFileSync } from "node:fs";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { env } from "@/lib/env";

const GC_KINDS: Record<number, string> = { 1: "minor", 2: "major", 4: "incremental", 8: "weakcb" };

/**
 * For benchmarks: with KEYPORT_LOOP_PROBE=<file>, appends one JSON line a second with the event
 * loop's worst delay and the garbage collections of that second, so a latency spike can be put
 * down to the process itself (a GC or a long task) or to the machine. Off (and free) otherwise.
 */
export function startLoopProbe(label: string) {
  const file = env().KEYPORT_LOOP_PROBE;
  if (!file) return;
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let gcs: { kind: string; ms: number }[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
      if (e.duration >= 5) gcs.push({ kind: GC_KINDS[kind] ?? String(kind), ms: Math.round(e.duration) });
    }
  });
  gc.observe({ entryTypes: ["gc"] });
  setInterval(() => {
    appendFileSync(file, `${JSON.stringify({ label, t: Date.now(), loopMaxMs: Math.round(delay.max / 1e6), gc: gcs })}\n`);
    delay.reset();
    gcs = [];
  }, 1000).unref();
}
