import { LRUCache } from "lru-cache";
import { Gate } from "./bounded";
import type { KeyState } from "./types";

type Load = () => Promise<KeyState | null>;
/** The entry of a hash known to name no key (a negative entry); lru-cache takes no null. */
const NONE: { readonly none: true } = Object.freeze({ none: true });
/**
 * A key's state, or NONE. Held as it is, not wrapped with its load time: lru-cache keeps each
 * entry's start for its TTL anyway, and the wrapper cost about 56 bytes per key (measured at
 * 100,000 keys).
 */
type Entry = KeyState | typeof NONE;
const stateOf = (entry: Entry): KeyState | null => (entry === NONE ? null : (entry as KeyState));
interface Context {
  load: Load;
  bounded: boolean;
}

/** lru-cache's reasons for dropping a load in flight: the entry was deleted, replaced or evicted. */
const ABORTED = new Set(["deleted", "replaced", "evicted"]);

/** Shared, not allocated per lookup (lru-cache only writes an undefined `status` into it). */
const FRESH_ONLY = { allowStale: false };

/** A load that raced with a change of its key: its answer may predate the change. */
class Superseded extends Error {}

export interface KeyCacheOptions {
  max?: number;
  positiveTtlMs?: number;
  negativeTtlMs?: number;
  /** Database reads (misses and refreshes) at once, and waiting. */
  maxLoads?: number;
  maxWaitingLoads?: number;
  now?: () => number;
}

/** ±20 %: entries cached in the same second do not all fall due in the same second. */
const jitter = (ms: number) => Math.round(ms * (0.8 + Math.random() * 0.4));

/**
 * Key state by secret hash (and by Basic-auth pair), with negative entries for unknown ones, on
 * lru-cache. Concurrent misses on one hash share one load (single flight); an entry past its
 * jittered TTL is still served while one background load refreshes it, up to twice its TTL; loads
 * are bounded. The change feed stays the source of truth: it deletes a changed key's entries, and
 * a load that raced with the change is not cached but read again.
 */
export class KeyCache {
  private lru: LRUCache<string, Entry, Context>;
  /** The cached hashes of each key: one string for the usual key (a Set costs about 150 bytes more), a Set for several. */
  private byKey = new Map<string, string | Set<string>>();
  private loads: Gate;
  private readonly now: () => number;
  readonly positiveTtlMs: number;
  readonly negativeTtlMs: number;
  // Change epochs: a load started at epoch e is superseded if its key changed after e.
  private epoch = 0;
  private floor = 0;
  private changed = new Map<string, number>();
  private loading = 0;

  constructor(opts: KeyCacheOptions = {}) {
    this.now = opts.now ?? Date.now;
    // The change feed, not the TTL, is what takes a revoked, disabled or changed key out (at
    // commit, by LISTEN, or within a second by the poll), and expiry is checked on every hit.
    // The TTL only bounds how long a key nobody changes stays in memory without a re-read: at
    // 60 s every hot key fell due together about a minute into any load (a measured stall).
    this.positiveTtlMs = opts.positiveTtlMs ?? 600_000;
    this.negativeTtlMs = opts.negativeTtlMs ?? 30_000;
    this.loads = new Gate(opts.maxLoads ?? 32, opts.maxWaitingLoads ?? 2000, "key lookups");
    this.lru = new LRUCache<string, Entry, Context>({
      max: opts.max ?? 100_000,
      ttl: this.positiveTtlMs,
      allowStale: true, // serve the stale entry while its refresh runs
      noDeleteOnStaleGet: true,
      perf: { now: this.now },
      ttlResolution: opts.now ? 0 : 1,
      fetchMethod: (hash, _stale, { context, options }) => this.load(context, options),
      onInsert: (entry, hash) => this.index(entry, hash),
      dispose: (entry, hash) => this.unindex(entry, hash),
    });
  }

  /**
   * The state for `hash`: cached, or loaded by `load` once however many ask at once. `bounded`
   * loads queue behind the lookup gate; Basic-auth checks have bounds of their own instead.
   */
  async fetch(hash: string, load: Load, bounded = true): Promise<KeyState | null> {
    const context = { load, bounded };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        let entry = await this.lru.fetch(hash, { context });
        // Far past its TTL (a key nobody asked for in a while): wait for the fresh read. Stale by
        // more than the shortest jittered TTL, so never served past twice the TTL.
        if (entry !== undefined && this.lru.getRemainingTTL(hash) < -0.8 * this.positiveTtlMs)
          entry = await this.lru.fetch(hash, { context, allowStale: false });
        if (entry !== undefined) return stateOf(entry);
      } catch (err) {
        // Dropped or superseded while loading: read again, after the change.
        if (!(err instanceof Superseded) && !(err instanceof Error && ABORTED.has(err.message))) throw err;
      }
    }
    return load(); // changing under every attempt: answer from the database, cache nothing
  }

  /**
   * Fills the cache from one read of many keys (a verifier's start). Like a load, an entry whose
   * key changed while the read ran is left out (the next request reads it again), and an entry
   * already cached is kept. Returns how many were added.
   */
  async preload(read: () => Promise<{ hash: string; state: KeyState }[]>): Promise<number> {
    const since = this.epoch;
    this.loading++;
    try {
      let added = 0;
      for (const { hash, state } of await read()) {
        if (this.changedSince(state.keyId, since) || this.lru.has(hash)) continue;
        this.lru.set(hash, state, { ttl: jitter(this.positiveTtlMs) });
        added++;
      }
      return added;
    } finally {
      if (--this.loading === 0) this.changed.clear();
    }
  }

  /**
   * The cached state for `hash` if its entry is fresh, without a promise: the hot path answers a
   * cache hit synchronously. `undefined` (not cached, stale or loading) means: call `fetch`.
   */
  peek(hash: string): KeyState | null | undefined {
    const entry = this.lru.get(hash, FRESH_ONLY);
    return entry === undefined ? undefined : stateOf(entry);
  }

  private async load({ load, bounded }: Context, options: { ttl?: number }): Promise<Entry> {
    const since = this.epoch;
    this.loading++;
    try {
      const state = bounded ? await this.loads.run(load) : await load();
      if (state && this.changedSince(state.keyId, since)) throw new Superseded();
      options.ttl = jitter(state ? this.positiveTtlMs : this.negativeTtlMs);
      return state ?? NONE;
    } finally {
      if (--this.loading === 0) this.changed.clear(); // nothing in flight can be superseded
    }
  }

  private changedSince(keyId: string, since: number) {
    return this.floor > since || (this.changed.get(keyId) ?? 0) > since;
  }

  private index(entry: Entry, hash: string) {
    const keyId = stateOf(entry)?.keyId;
    if (keyId === undefined) return;
    const had = this.byKey.get(keyId);
    if (had === undefined) this.byKey.set(keyId, hash);
    else if (typeof had === "string") {
      if (had !== hash) this.byKey.set(keyId, new Set([had, hash]));
    } else had.add(hash);
  }

  private unindex(entry: Entry, hash: string) {
    const keyId = stateOf(entry)?.keyId;
    if (keyId === undefined) return;
    const had = this.byKey.get(keyId);
    if (had === hash) this.byKey.delete(keyId);
    else if (typeof had === "object") {
      had.delete(hash);
      if (had.size === 0) this.byKey.delete(keyId);
    }
  }

  /** Drops every entry of a key, and marks loads of it in flight as superseded. */
  invalidateKey(keyId: string) {
    this.epoch++;
    if (this.loading) this.changed.set(keyId, this.epoch);
    if (this.changed.size > 10_000) {
      this.changed.clear();
      this.floor = this.epoch; // every load in flight is superseded
    }
    const had = this.byKey.get(keyId);
    this.byKey.delete(keyId); // first: each delete below disposes its entry, which then finds nothing to unindex
    if (typeof had === "string") this.lru.delete(had);
    else if (had) for (const hash of had) this.lru.delete(hash);
  }

  clear() {
    this.epoch++;
    this.floor = this.epoch;
    this.lru.clear();
    this.byKey.clear();
  }

  get size() {
    return this.lru.size;
  }

  /** Lookups in flight and waiting (for tests and the bench). */
  get pendingLoads() {
    return { inFlight: this.loads.inFlight, queued: this.loads.queued };
  }
}
