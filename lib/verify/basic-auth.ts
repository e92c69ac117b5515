import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { dummyCustomHash, parseCustomHash } from "@/lib/keys/custom-credentials";
import { parseIp } from "@/lib/keys/ip";
import type { KeyCache } from "./cache";
import { loadByAccessKey } from "./load";
import { PasswordPool } from "./password-pool";
import type { SqlTarget } from "./sql";
import type { KeyState } from "./types";

/**
 * Password checks (not requests) allowed per user name and per client address. A success gives
 * its point back, so a merchant's own traffic, answered from the cache after its first check,
 * never runs into either limit.
 */
export const BASIC_LIMITS = {
  perCredential: { points: 10, duration: 300 },
  perAddress: { points: 30, duration: 60 },
};

/** `failed`: a known user name with a wrong password, counted as a failure of that key (the caller still sees NOT_FOUND). */
export type BasicResult = { state: KeyState | null; failed?: KeyState } | { limited: true; retryAfterS: number };

/** IPv4 by address; IPv6 by its /64, which one attacker usually holds whole. */
export function addressKey(ip: string): string {
  const b = parseIp(ip);
  if (!b || (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff)) return ip;
  return `${Buffer.from(b.subarray(0, 8)).toString("hex")}/64`;
}

/**
 * HTTP Basic (user-chosen credentials): cache, then both limits, then one password-hash check (Argon2id). Limits are
 * counted before the hash, so parallel guesses cannot slip past them. An unknown name is checked
 * against a dummy hash and counted like a known one: neither time nor answer says which exist.
 */
export class BasicAuth {
  // In-memory, so per process: N verifier processes allow N times the limits.
  private perCredential: RateLimiterMemory;
  private perAddress: RateLimiterMemory;
  // Pairs that were right within the last day skip the limits (never the hash): guesses aimed at
  // a name cannot lock its own integration out when its cache entry is refreshed.
  private knownGood = new LRUCache<string, true>({ max: 10_000, ttl: 24 * 3600_000 });

  constructor(
    private cache: KeyCache,
    private pool = new PasswordPool(),
    limits = BASIC_LIMITS,
  ) {
    this.perCredential = new RateLimiterMemory({ keyPrefix: "basic-user", ...limits.perCredential });
    this.perAddress = new RateLimiterMemory({ keyPrefix: "basic-ip", ...limits.perAddress });
  }

  async verify(db: () => Promise<SqlTarget>, user: string, password: string, ip: string): Promise<BasicResult> {
    // Each (user, password) pair is checked once, however many ask at once; both answers are
    // cached under its hash, so repeating a pair costs neither a hash nor a point.
    const cacheKey = `basic:${createHash("sha256").update(`${user}\u0000${password}`).digest("hex")}`;
    try {
      const state = await this.cache.fetch(cacheKey, () => this.check(db, user, password, ip, cacheKey), false);
      return state?.wrongPassword ? { state: null, failed: state } : { state };
    } catch (err) {
      if (err instanceof RateLimiterRes) return { limited: true, retryAfterS: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
      throw err;
    }
  }

  private async check(db: () => Promise<SqlTarget>, user: string, password: string, ip: string, pair: string): Promise<KeyState | null> {
    const address = addressKey(ip);
    const counted = !this.knownGood.has(pair);
    if (counted) {
      await this.perAddress.consume(address); // rejects with RateLimiterRes: nothing is cached
      await this.perCredential.consume(user);
    }
    const found = user.length <= 64 ? await loadByAccessKey(await db(), user) : null;
    const stored = (found?.customHash && parseCustomHash(found.customHash)) || parseCustomHash(await dummyCustomHash())!;
    const ok = (await this.pool.verify(stored, password)) && !!found?.customHash;
    if (!ok) {
      this.knownGood.delete(pair); // the password was changed
      // A known name keeps its key in the cached answer (never the hash), so each repeat of the
      // wrong pair counts as a failure of that key; the change feed drops it with the key's entries.
      return found?.customHash ? { ...found, customHash: undefined, wrongPassword: true } : null;
    }
    this.knownGood.set(pair, true);
    if (counted) await Promise.all([this.perAddress.reward(address), this.perCredential.reward(user)]);
    return { ...found!, customHash: undefined };
  }

  close() {
    return this.pool.close();
  }
}
