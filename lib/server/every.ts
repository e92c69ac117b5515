/**
 * Runs job every `ms` without ever overlapping itself (a run still going skips the tick), logs a
 * failure instead of crashing, and never keeps the process alive. Returns the timer.
 */
export function every(ms: number, name: string, job: () => Promise<unknown>, log: Pick<Console, "error"> = console) {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await job();
    } catch (err) {
      log.error(`[${name}]`, err instanceof Error ? err.message : err);
    } finally {
      running = false;
    }
  }, ms);
  timer.unref();
  return timer;
}
