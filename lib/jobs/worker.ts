import "server-only";
import type { Db } from "@/lib/db/client";
import { every, type JobLog } from "@/lib/server/every";

/** A background job: what runs, and how often. `signal` is aborted when the process drains. */
export interface Job {
  name: string;
  everyMs: number;
  run(db: Db, signal: AbortSignal): Promise<unknown>;
}

/**
 * The one worker loop: every job on its own interval, never overlapping itself, a failure logged
 * and the loop kept going. Every job is safe on several instances (SKIP LOCKED). Returns stop(),
 * which starts no new run, tells the runs in progress to stop taking work (an outbox lets go of
 * the rows it claimed and has not started: another instance takes them at once) and resolves
 * when they have finished.
 */
export function startWorker(db: Db, jobs: readonly Job[], log?: JobLog) {
  const abort = new AbortController();
  const running = new Set<Promise<unknown>>();
  const timers = jobs.map((job) =>
    every(
      job.everyMs,
      job.name,
      () => {
        const run = job.run(db, abort.signal);
        running.add(run);
        return run.finally(() => running.delete(run));
      },
      log,
    ),
  );
  return async () => {
    for (const t of timers) clearInterval(t);
    abort.abort();
    await Promise.allSettled([...running]);
  };
}
