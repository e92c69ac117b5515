import { describe, expect, it } from "vitest";
import { KeyCache } from "./cache";
import { GateFull } from "./bounded";
import type { KeyState } from "./types";

const state = (keyId: string, status: KeyState["status"] = "ENABLED"): KeyState => ({
  keyId,
  merchantId: "m",
  environment: "production",
  channel: "REST",
  status,
  permissions: [],
  ipAllowList: [],
  expiresAt: Date.now() + 86_400_000,
  credentialId: `c-${keyId}`,
  slot: "CURRENT",
  credentialExpiresAt: null,
});

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A cache on a clock the test moves. */
function clocked(opts: ConstructorParameters<typeof KeyCache>[0] = {}) {
  let t = 1_000_000;
  const cache = new KeyCache({ positiveTtlMs: 60_000, negativeTtlMs: 30_000, ...opts, now: () => t });
  return { cache, advance: (ms: number) => (t += ms) };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("KeyCache", () => {
  it("single flight: concurrent misses on one hash share one load", async () => {
    const { cache } = clocked();
    const load = deferred<KeyState | null>();
    let loads = 0;
    const all = Array.from({ length: 50 }, () => cache.fetch("h", () => (loads++, load.promise)));
    load.resolve(state("k1"));
    expect(new Set((await Promise.all(all)).map((s) => s?.keyId))).toEqual(new Set(["k1"]));
    expect(loads).toBe(1);
    expect(await cache.fetch("h", async () => (loads++, null))).toMatchObject({ keyId: "k1" });
    expect(loads).toBe(1);
  });

  it("peek answers fresh entries (and cached unknowns) synchronously, and nothing stale, loading or changed", async () => {
    const { cache, advance } = clocked();
    expect(cache.peek("h")).toBeUndefined();
    const load = deferred<KeyState | null>();
    const pending = cache.fetch("h", () => load.promise);
    expect(cache.peek("h")).toBeUndefined(); // loading: the caller must wait for the fetch
    load.resolve(state("k1"));
    await pending;
    expect(cache.peek("h")).toMatchObject({ keyId: "k1" });
    await cache.fetch("unknown", async () => null);
    expect(cache.peek("unknown")).toBeNull();
    advance(75_000); // past the TTL and its jitter: the fetch path serves it stale and refreshes
    expect(cache.peek("h")).toBeUndefined();
    expect(await cache.fetch("h", async () => state("k1", "DISABLED"))).toMatchObject({ status: "ENABLED" });
    await tick();
    expect(cache.peek("h")).toMatchObject({ status: "DISABLED" });
    cache.invalidateKey("k1");
    expect(cache.peek("h")).toBeUndefined();
  });

  it("past its TTL an entry is served while one background load refreshes it", async () => {
    const { cache, advance } = clocked();
    await cache.fetch("h", async () => state("k1"));
    advance(75_000); // past the TTL and its jitter (at most +20 %)
    const refresh = deferred<KeyState | null>();
    let loads = 0;
    const during = await Promise.all(Array.from({ length: 20 }, () => cache.fetch("h", () => (loads++, refresh.promise))));
    expect(during.every((s) => s?.keyId === "k1" && s.permissions.length === 0)).toBe(true); // stale, at once
    expect(loads).toBe(1);
    refresh.resolve({ ...state("k1"), permissions: ["payments:read"] });
    await tick();
    expect((await cache.fetch("h", async () => (loads++, null)))?.permissions).toEqual(["payments:read"]);
    expect(loads).toBe(1);
  });

  it("far past its TTL (twice over) an entry is not served: the caller waits for the fresh read", async () => {
    const { cache, advance } = clocked();
    await cache.fetch("h", async () => state("k1"));
    advance(130_000);
    expect((await cache.fetch("h", async () => state("k1", "DISABLED")))?.status).toBe("DISABLED");
  });

  it("jitters TTLs: entries cached in the same instant do not all fall due together", async () => {
    const { cache, advance } = clocked();
    for (let i = 0; i < 100; i++) await cache.fetch(`h${i}`, async () => state(`k${i}`));
    advance(60_000);
    let refreshed = 0;
    for (let i = 0; i < 100; i++) await cache.fetch(`h${i}`, async () => (refreshed++, state(`k${i}`)));
    expect(refreshed).toBeGreaterThan(0);
    expect(refreshed).toBeLessThan(100);
  });

  it("bounds lookups in flight and waiting; past the bound a miss is refused at once", async () => {
    const cache = new KeyCache({ maxLoads: 2, maxWaitingLoads: 3 });
    const gate = deferred<KeyState | null>();
    let running = 0;
    let most = 0;
    const load = async () => {
      most = Math.max(most, ++running);
      await gate.promise;
      running--;
      return null;
    };
    const misses = Array.from({ length: 8 }, (_, i) =>
      cache.fetch(`unknown-${i}`, load).then(
        () => "ok",
        (e) => e,
      ),
    );
    await tick();
    expect(cache.pendingLoads).toEqual({ inFlight: 2, queued: 3 });
    gate.resolve(null);
    const results = await Promise.all(misses);
    expect(results.filter((r) => r === "ok")).toHaveLength(5);
    expect(results.filter((r) => r instanceof GateFull)).toHaveLength(3);
    expect(most).toBe(2);
  });

  it("a load that raced with a change of its key is not cached: it is read again", async () => {
    const { cache } = clocked();
    const first = deferred<KeyState | null>();
    let loads = 0;
    const pending = cache.fetch("h", () => (++loads === 1 ? first.promise : Promise.resolve(state("k1", "DISABLED"))));
    await tick();
    cache.invalidateKey("k1"); // the feed reports the disable while the first read is in flight
    first.resolve(state("k1")); // that read saw the key before the change
    expect((await pending)?.status).toBe("DISABLED");
    expect(loads).toBe(2);
    expect((await cache.fetch("h", async () => state("k1")))?.status).toBe("DISABLED");
  });

  it("the feed drops every entry of a changed key, a refresh in flight included", async () => {
    const { cache, advance } = clocked();
    await cache.fetch("a", async () => state("k1"));
    await cache.fetch("basic:pair", async () => state("k1"));
    await cache.fetch("b", async () => state("k2"));
    advance(75_000);
    const slow = deferred<KeyState | null>();
    expect((await cache.fetch("a", () => slow.promise))?.status).toBe("ENABLED"); // stale, refresh started
    cache.invalidateKey("k1");
    slow.resolve(state("k1")); // the aborted refresh is not stored
    await tick();
    expect((await cache.fetch("a", async () => state("k1", "REVOKED")))?.status).toBe("REVOKED");
    expect(await cache.fetch("basic:pair", async () => null)).toBeNull();
    expect((await cache.fetch("b", async () => null))?.keyId).toBe("k2");
  });

  it("a failed load is not cached", async () => {
    const cache = new KeyCache();
    await expect(
      cache.fetch("h", async () => {
        throw new Error("db down");
      }),
    ).rejects.toThrow("db down");
    expect(await cache.fetch("h", async () => state("k1"))).toMatchObject({ keyId: "k1" });
  });
});

describe("KeyCache.preload (a verifier's start)", () => {
  it("answers the preloaded keys synchronously, keeps what was cached already, and leaves out a key that changed during the read", async () => {
    const { cache } = clocked();
    await cache.fetch("h-cached", async () => state("k-cached", "DISABLED"));
    const read = deferred<{ hash: string; state: KeyState }[]>();
    const preloading = cache.preload(() => read.promise);
    cache.invalidateKey("k-changed"); // the feed reports a change while the read is in flight
    read.resolve([
      { hash: "h1", state: state("k1") },
      { hash: "h-changed", state: state("k-changed") },
      { hash: "h-cached", state: state("k-cached") },
    ]);
    expect(await preloading).toBe(1);
    expect(cache.peek("h1")).toMatchObject({ keyId: "k1" });
    expect(cache.peek("h-changed")).toBeUndefined(); // read again on first use, after the change
    expect(cache.peek("h-cached")).toMatchObject({ status: "DISABLED" });
    // A preloaded key is a key like any other: the feed takes it out.
    cache.invalidateKey("k1");
    expect(cache.peek("h1")).toBeUndefined();
  });
});

describe("KeyCache's index of hashes per key", () => {
  it("drops every cached hash of a changed key, one or several, and an evicted entry never comes back through it", async () => {
    const cache = new KeyCache({ max: 3 });
    await cache.fetch("a1", async () => state("a"));
    await cache.fetch("a2", async () => state("a")); // the same key under a second hash (a Basic pair, say)
    await cache.fetch("b1", async () => state("b"));
    cache.invalidateKey("a");
    expect([cache.peek("a1"), cache.peek("a2"), cache.peek("b1")?.keyId]).toEqual([undefined, undefined, "b"]);
    // Evicted by newer entries, then cached again: one change still takes it out.
    await cache.fetch("c1", async () => state("c"));
    await cache.fetch("d1", async () => state("d"));
    await cache.fetch("e1", async () => state("e")); // b1 is evicted (max 3)
    expect(cache.peek("b1")).toBeUndefined();
    await cache.fetch("b1", async () => state("b"));
    await cache.fetch("b2", async () => state("b"));
    cache.invalidateKey("b");
    expect([cache.peek("b1"), cache.peek("b2")]).toEqual([undefined, undefined]);
    expect(cache.peek("e1")?.keyId).toBe("e");
  });
});
