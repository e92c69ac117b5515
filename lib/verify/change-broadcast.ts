import type { FeedBatch } from "./change-feed";

/** What a subscriber (one SDK's change stream) hears: its merchant's changed key ids, or "drop everything". */
export type StreamEvent = { cursor: bigint } & ({ reset: true } | { reset: false; keyIds: string[] });
type Listener = (event: StreamEvent) => void;

/**
 * Fans the verifier's change feed out to the SDK change streams of this process: one database
 * listener and one poll per process whatever the number of streams, and each stream hears only
 * its own merchant's keys.
 */
export class ChangeBroadcast {
  private byMerchant = new Map<string, Set<Listener>>();
  private last: bigint;

  constructor(cursor: bigint) {
    this.last = cursor;
  }

  /** The feed's horizon after its last poll: a stream resuming from here has missed nothing. */
  get cursor(): bigint {
    return this.last;
  }

  get subscribers(): number {
    let n = 0;
    for (const s of this.byMerchant.values()) n += s.size;
    return n;
  }

  subscribe(merchantId: string, listener: Listener): () => void {
    let set = this.byMerchant.get(merchantId);
    if (!set) this.byMerchant.set(merchantId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (!set.size) this.byMerchant.delete(merchantId);
    };
  }

  /** Called by the feed after a poll that found changes. */
  publish(batch: FeedBatch) {
    this.last = batch.horizon;
    if (batch.reset) {
      for (const set of this.byMerchant.values()) for (const l of set) l({ cursor: batch.horizon, reset: true });
      return;
    }
    const ids = new Map<string, Set<string>>();
    for (const c of batch.changes) {
      if (!c.merchantId || !this.byMerchant.has(c.merchantId)) continue;
      let s = ids.get(c.merchantId);
      if (!s) ids.set(c.merchantId, (s = new Set()));
      s.add(c.keyId);
    }
    for (const [merchantId, keyIds] of ids)
      for (const l of this.byMerchant.get(merchantId) ?? []) l({ cursor: batch.horizon, reset: false, keyIds: [...keyIds] });
  }

  /** A poll that found nothing still moves the horizon (so a resuming stream reads less). */
  advance(cursor: bigint) {
    if (cursor > this.last) this.last = cursor;
  }
}
