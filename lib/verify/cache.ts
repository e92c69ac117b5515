import type { KeyState } from "./types";

/**
 * In-process LRU of key state by secret hash, with negative entries for unknown hashes. Entries
 * are dropped by key id when the change feed reports a change, so a revoke, disable, delete,
 * rollback or expiry reaches every process within one poll.
 */
export class KeyCache {
  private map = new Map<string, { state: KeyState | null; at: number }>();
  private byKey = new Map<string, Set<string>>();

  constructor(
    readonly max = 100_000,
    readonly negativeTtlMs = 30_000,
    readonly positiveTtlMs = 60_000,
  ) {}

  get(hash: string, now: number): KeyState | null | undefined {
    const hit = this.map.get(hash);
    if (!hit) return undefined;
    if (now - hit.at > (hit.state ? this.positiveTtlMs : this.negativeTtlMs)) {
      this.delete(hash);
      return undefined;
    }
    // Refresh recency: Map iteration order is insertion order.
    this.map.delete(hash);
    this.map.set(hash, hit);
    return hit.state;
  }

  set(hash: string, state: KeyState | null, now: number) {
    if (this.map.has(hash)) this.delete(hash);
    this.map.set(hash, { state, at: now });
    if (state) {
      let set = this.byKey.get(state.keyId);
      if (!set) this.byKey.set(state.keyId, (set = new Set()));
      set.add(hash);
    }
    while (this.map.size > this.max) this.delete(this.map.keys().next().value!);
  }

  private delete(hash: string) {
    const entry = this.map.get(hash);
    this.map.delete(hash);
    if (entry?.state) this.byKey.get(entry.state.keyId)?.delete(hash);
  }

  invalidateKey(keyId: string) {
    for (const hash of this.byKey.get(keyId) ?? []) this.map.delete(hash);
    this.byKey.delete(keyId);
  }

  clear() {
    this.map.clear();
    this.byKey.clear();
  }

  get size() {
    return this.map.size;
  }
}
