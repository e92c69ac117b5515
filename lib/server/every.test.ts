import { afterEach, describe, expect, it, vi } from "vitest";
import { every } from "./every";

afterEach(() => vi.useRealTimers());

describe("every (the job loop's timer)", () => {
  it("logs a failed run with the job's name and an id of its own, never overlaps a run, and keeps going", async () => {
    vi.useFakeTimers();
    const failures: { job: string; message: string; runId: string }[] = [];
    let runs = 0;
    let release: () => void = () => {};
    const timer = every(
      100,
      "sweep",
      async () => {
        runs++;
        if (runs === 1) await new Promise<void>((r) => (release = r)); // the first run outlasts two ticks
        throw new Error(`run ${runs} failed`);
      },
      { error: (job, message, runId) => failures.push({ job, message, runId }) },
    );
    await vi.advanceTimersByTimeAsync(350);
    expect(runs).toBe(1);
    release();
    await vi.advanceTimersByTimeAsync(200);
    clearInterval(timer);
    expect(runs).toBe(3);
    expect(failures.map((f) => [f.job, f.message])).toEqual([
      ["sweep", "run 1 failed"],
      ["sweep", "run 2 failed"],
      ["sweep", "run 3 failed"],
    ]);
    for (const f of failures) expect(f.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(failures.map((f) => f.runId)).size).toBe(3);
  });
});
