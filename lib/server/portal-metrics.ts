import type { Db } from "@/lib/db/client";
import { gaugeOnScrape, metrics } from "./metrics";

/** The portal process's own metrics (when on): the outboxes' backlog and oldest pending row, read at scrape. */
export function portalMetrics(db: Db) {
  const m = metrics();
  if (!m) return;
  // Both gauges read one query per scrape: the first to ask runs it, the second reuses its answer.
  let pending: Promise<{ queue: string; n: number; oldest: number | null }[]> | null = null;
  const backlog = () => {
    pending ??= query().finally(() => setTimeout(() => (pending = null), 0));
    return pending;
  };
  const query = async () => {
    const rows = await db.$queryRaw<{ queue: string; n: number; oldest: number | null }[]>`
      SELECT 'mail' AS queue, count(*)::int AS n, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS oldest
        FROM outbox_mails WHERE status = 'PENDING'
      UNION ALL
      SELECT 'webhooks', count(*)::int, EXTRACT(EPOCH FROM now() - min(created_at))::float8
        FROM webhook_deliveries WHERE status = 'PENDING'`;
    return rows;
  };
  gaugeOnScrape(m, "keyport_outbox_backlog", "Outbox rows waiting to be delivered, by queue (mail, webhooks).", async () =>
    (await backlog()).map((r) => [{ queue: r.queue }, r.n] as [Record<string, string>, number]),
  );
  gaugeOnScrape(m, "keyport_outbox_oldest_age_seconds", "Age of the oldest undelivered outbox row, by queue (0 when none).", async () =>
    (await backlog()).map((r) => [{ queue: r.queue }, r.oldest ?? 0] as [Record<string, string>, number]),
  );
}
