import type { Db } from "@/lib/db/client";
import { deliverDueMail, transportFromEnv } from "@/lib/mail/worker";
import { retireExpiredPrevious, sendExpiryReminders } from "@/lib/keys/sweep";
import { every } from "./every";

/**
 * The in-process mail worker (every second) and expiry sweep (every 15 s). Both are safe on
 * several instances (SKIP LOCKED) and never overlap themselves within one.
 */
export function startBackgroundJobs(db: Db, log = console) {
  const transport = transportFromEnv();
  const timers = [
    // Drains a backlog (a bulk rotation mails every member about every key) in batches of 20.
    every(1000, "mail", async () => {
      for (let i = 0; i < 25; i++) {
        const { sent, failed } = await deliverDueMail(db, transport);
        if (sent + failed < 20) break;
      }
    }, log),
    every(15_000, "sweep", async () => {
      await retireExpiredPrevious(db);
      await sendExpiryReminders(db);
    }, log),
  ];
  log.log(`Mail goes to ${transport.name === "local" ? "the local mailbox (/dev/mailbox)" : "Resend"}.`);
  return () => timers.forEach(clearInterval);
}
