import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/core/log";
import { isProduction } from "@/lib/env";
import { mailQueue, transportFromEnv } from "@/lib/mail/worker";
import { retireExpiredPrevious, sendExpiryReminders } from "@/lib/keys/sweep";
import { drainOutbox } from "@/lib/jobs/outbox";
import { runRetention } from "@/lib/jobs/retention";
import { startWorker } from "@/lib/jobs/worker";
import { webhookQueue } from "@/lib/webhooks/worker";

/**
 * The in-process jobs, on the one worker loop (lib/jobs/worker.ts): the mail and webhook outboxes every second,
 * the expiry sweep every 15 s, and retention of the tables that only grow every 10 minutes. All
 * are safe on several instances (SKIP LOCKED) and never overlap themselves within one.
 */
export function startBackgroundJobs(db: Db) {
  const transport = transportFromEnv();
  const mail = mailQueue(transport);
  const stop = startWorker(db, [
    // Drains a backlog (a bulk rotation mails every member about every key) in batches of 20.
    { name: "mail", everyMs: 1000, run: (d, signal) => drainOutbox(d, mail, 20, 25, signal) },
    // Webhook deliveries: the same runner (leases, SKIP LOCKED, retries on the schedule).
    { name: "webhooks", everyMs: 1000, run: (d, signal) => drainOutbox(d, webhookQueue(d), 20, 25, signal) },
    {
      name: "sweep",
      everyMs: 15_000,
      run: async (d) => {
        await retireExpiredPrevious(d);
        await sendExpiryReminders(d);
      },
    },
    { name: "retention", everyMs: 10 * 60_000, run: (d) => runRetention(d) },
  ]);
  const log = logger();
  if (transport.name !== "local") log.info("Mail goes to Resend.");
  else if (isProduction()) log.warn("RESEND_API_KEY is not set, so mail is not delivered (the local mailbox page is off in production).");
  else log.info("Mail goes to the local mailbox (/dev/mailbox): each signed-in user sees their own.");
  return stop;
}
