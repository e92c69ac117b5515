import { randomUUID } from "node:crypto";
import { errorMessage, logger } from "@/lib/core/log";

/** Where a failed run is reported: the process's logger, or what a test passes. `runId` names the run, as a request id names a request. */
export type JobLog = { error(job: string, message: string, runId: string): void };
const jobLog: JobLog = { error: (job, message, runId) => logger().error({ job, runId, err: message }, "background job failed") };

/**
 * Runs job every `ms` without ever overlapping itself (a run still going skips the tick), logs a
 * failure instead of crashing, and never keeps the process alive. Returns the timer.
 */
export function every(ms: number, name: string, job: () => Promise<unknown>, log: JobLog = jobLog) {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await job();
    } catch (err) {
      // An id for the failed run only: the feed's poll runs four times a second.
      log.error(name, errorMessage(err), randomUUID());
    } finally {
      running = false;
    }
  }, ms);
  timer.unref();
  return timer;
}
