import "server-only";
import type { Db } from "@/lib/db/client";
import { every } from "@/lib/server/every";

/** A background job: what runs, and how often. */
export interface Job {
  name: string;
  everyMs: number;
  run(db: Db): Promise<unknown>;
}

/**
 * The one worker loop: every job on its own interval, never overlapping itself, a failure logged
 * and the loop kept going. Every job is safe on several instances (SKIP LOCKED). Returns stop().
 */
export function startWorker(db: Db, jobs: readonly Job[], log: Pick<Console, "error"> = console) {
  const timers = jobs.map((job) => every(job.everyMs, job.name, () => job.run(db), log));
  return () => timers.forEach(clearInterval);
}
