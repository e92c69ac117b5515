import client from "prom-client";
import { env } from "@/lib/env";

// Prometheus metrics (prom-client), on when KEYPORT_METRICS_TOKEN is set. One registry per
// process, held on globalThis: the project's server and Next.js's bundle load their own copies of
// this module. Names follow keyport_<thing>_<unit>; docs/operations.md lists them.

export interface Metrics {
  registry: client.Registry;
  /** Verification latency by outcome, from the body's last byte to the answer. */
  verifyDuration: client.Histogram<"outcome">;
  webhookFailures: client.Counter;
}

const KEY = Symbol.for("keyport.metrics");
type Holder = { [KEY]?: Metrics };

/** The process's metrics, or null when KEYPORT_METRICS_TOKEN is not set (nothing is measured then). */
export function metrics(): Metrics | null {
  const g = globalThis as Holder;
  if (g[KEY]) return g[KEY];
  if (!env().KEYPORT_METRICS_TOKEN) return null;
  const registry = new client.Registry();
  // Process figures: CPU, memory, GC, and the event-loop delay (keyport_nodejs_eventloop_lag_*).
  client.collectDefaultMetrics({ register: registry, prefix: "keyport_" });
  g[KEY] = {
    registry,
    verifyDuration: new client.Histogram({
      name: "keyport_verify_duration_seconds",
      help: "Verification requests, from the body's last byte to the answer, by outcome.",
      labelNames: ["outcome"],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
    webhookFailures: new client.Counter({
      name: "keyport_webhook_failures_total",
      help: "Webhook delivery attempts that failed (no answer, or not 2xx).",
      registers: [registry],
    }),
  };
  return g[KEY];
}

/** A gauge read when Prometheus scrapes: `read` returns one value, or one per label set. */
export function gaugeOnScrape(
  m: Metrics,
  name: string,
  help: string,
  read: () => Promise<number | [Record<string, string>, number][]> | number | [Record<string, string>, number][],
) {
  if (m.registry.getSingleMetric(name)) m.registry.removeSingleMetric(name);
  const gauge: client.Gauge<string> = new client.Gauge({
    name,
    help,
    labelNames: ["queue", "state"],
    registers: [m.registry],
    async collect() {
      const value = await read();
      if (typeof value === "number") return void gauge.set(value);
      gauge.reset();
      for (const [labels, v] of value) gauge.set(labels, v);
    },
  });
}

/** A counter read when Prometheus scrapes, from a running total kept elsewhere (no call on the hot path). */
export function counterOnScrape(m: Metrics, name: string, help: string, total: () => number) {
  if (m.registry.getSingleMetric(name)) m.registry.removeSingleMetric(name);
  let seen = 0;
  const counter: client.Counter = new client.Counter({
    name,
    help,
    registers: [m.registry],
    collect() {
      const now = total();
      if (now > seen) counter.inc(now - seen);
      seen = now;
    },
  });
}
