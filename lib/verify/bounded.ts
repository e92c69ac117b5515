/** Thrown when more work is waiting than the gate's queue may hold. */
export class GateFull extends Error {
  constructor(what: string) {
    super(`Too many ${what} waiting.`);
  }
}

/**
 * At most `limit` jobs at once, the rest waiting in arrival order; past `maxWaiting` waiting jobs
 * new ones are refused at once, so a flood costs memory in proportion to the bound, not the flood.
 */
export class Gate {
  private running = 0;
  private waiting: (() => void)[] = [];

  constructor(
    readonly limit: number,
    readonly maxWaiting: number,
    private what = "jobs",
  ) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.maxWaiting) throw new GateFull(this.what);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await job();
    } finally {
      // Hand the slot straight to the next in line (running stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  get inFlight() {
    return this.running;
  }

  get queued() {
    return this.waiting.length;
  }
}
