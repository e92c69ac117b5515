import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { dummyCustomHash, parseCustomHash } from "@/lib/keys/custom-credentials";
import { parseIp } from "@/lib/keys/ip";
import { RateLimiterRes, retryAfterS, sharedLimiter } from "@/lib/limits/shared-limiter";
import type { KeyCache } from "./cache";
import { addressAllowed } from "./decide";
import { countWrongPassword, GUESSING_REPORT, isKnownAddress, KNOWN_GOOD_REFRESH_MS, rememberAddress } from "./guessing";
import { loadByAccessKey } from "./load";
import { PasswordPool } from "./password-pool";
import type { SqlTarget } from "./sql";
import type { KeyState } from "./types";
import { errorMessage, logger } from "@/lib/core/log";

/**
 * Password checks a client address may have, per window, shared by every process (PostgreSQL):
 * - `perGuess`: wrong passwords for one user name from one address. Only the guessing address is
 *   refused; the credential's other clients never notice.
 * - `perAddress`: checks from one address across user names (spraying).
 * - `perKnownAddress`: a lane of its own for an address that used the right password within 30
 *   days, so guesses from elsewhere (or its /64) never touch it, while one who shares its very
 *   address still cannot guess at scale.
 * A success gives its points back.
 */
export const BASIC_LIMITS = {
  perGuess: { points: 10, duration: 300 },
  perAddress: { points: 30, duration: 60 },
  perKnownAddress: { points: 100, duration: 3600 },
};

/** `failed`: a known user name with a wrong password, counted as a failure of that key (the caller still sees NOT_FOUND). */
export type BasicResult = { state: KeyState | null; failed?: KeyState } | { limited: true; retryAfterS: number } | { addressRefused: true };

/** IPv4 by address; IPv6 by its /64, which one attacker usually holds whole. */
export function addressKey(ip: string): string {
  const b = parseIp(ip);
  if (!b || (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff)) return ip;
  return `${Buffer.from(b.subarray(0, 8)).toString("hex")}/64`;
}

/** Stands for the credential of an unknown user name, whose statements then find and write nothing. */
const NO_CREDENTIAL = "00000000-0000-0000-0000-000000000000";
const NO_STATE = { keyId: NO_CREDENTIAL, credentialId: NO_CREDENTIAL } as KeyState;

/** Thrown inside a check so that nothing is cached for the pair: the answer depends on the address. */
class AddressRefused extends Error {}

export interface BasicAuthOptions {
  cache: KeyCache;
  db: () => Promise<SqlTarget>;
  pool?: PasswordPool;
  limits?: typeof BASIC_LIMITS;
  /** Prefix of the shared counters' keys (tests give each verifier its own). */
  namespace?: string;
  /** Mails the owners once guessing on a credential reaches the report thresholds (guessing.ts). */
  report?: (state: KeyState) => Promise<unknown>;
}

/**
 * HTTP Basic (user-chosen credentials): the pair cache, then the key's IP allow-list, then the
 * limits, then one password-hash check (Argon2id). The allow-list refuses before any hash and
 * counts against nothing. The limits are counted before the hash, so parallel guesses cannot slip
 * past them. An unknown name is checked against a dummy hash and counted like a known one.
 */
export class BasicAuth {
  private perGuess;
  private perAddress;
  private perKnownAddress;
  /** Marks each (credential, address) that guessed wrong within the report's hour, to count addresses. */
  private guessers;
  private pool: PasswordPool;
  private db: () => Promise<SqlTarget>;
  private cache: KeyCache;
  private report?: (state: KeyState) => Promise<unknown>;
  /** When this process last wrote each known (credential, address): a copy that saves writes, never the source. */
  private written = new LRUCache<string, true>({ max: 10_000, ttl: KNOWN_GOOD_REFRESH_MS });

  constructor(opts: BasicAuthOptions) {
    const limits = opts.limits ?? BASIC_LIMITS;
    const ns = opts.namespace ? `${opts.namespace}:` : "";
    this.cache = opts.cache;
    this.db = opts.db;
    this.pool = opts.pool ?? new PasswordPool();
    this.report = opts.report;
    this.perGuess = sharedLimiter(opts.db, { keyPrefix: `${ns}basic-guess`, ...limits.perGuess });
    this.perAddress = sharedLimiter(opts.db, { keyPrefix: `${ns}basic-ip`, ...limits.perAddress });
    this.perKnownAddress = sharedLimiter(opts.db, { keyPrefix: `${ns}basic-known`, ...limits.perKnownAddress });
    this.guessers = sharedLimiter(opts.db, { keyPrefix: `${ns}basic-guesser`, points: 2 ** 30, duration: GUESSING_REPORT.windowMs / 1000 });
  }

  async verify(user: string, password: string, ip: string): Promise<BasicResult> {
    // Each (user, password) pair is checked once, however many ask at once; both answers are
    // cached under its hash, so repeating a pair costs neither a hash nor a point.
    const cacheKey = `basic:${createHash("sha256").update(`${user}\u0000${password}`).digest("hex")}`;
    try {
      const state = await this.cache.fetch(cacheKey, () => this.check(user, password, ip), false);
      return state?.wrongPassword ? { state: null, failed: state } : { state };
    } catch (err) {
      if (err instanceof RateLimiterRes) return { limited: true, retryAfterS: retryAfterS(err) };
      if (err instanceof AddressRefused) return { addressRefused: true };
      throw err;
    }
  }

  private async check(user: string, password: string, ip: string): Promise<KeyState | null> {
    const db = await this.db();
    const found = user.length <= 64 ? await loadByAccessKey(db, user) : null;
    const known = found?.customHash ? found : null;
    if (known && !addressAllowed(known, () => parseIp(ip))) throw new AddressRefused();
    const group = addressKey(ip);
    // An unknown name runs the same statements on a credential that cannot exist: neither the
    // answer nor its time says which names exist.
    const credentialId = (known ?? NO_STATE).credentialId;
    // The exact address, not its /64: a neighbour in the same network is a stranger.
    const lane = (await isKnownAddress(db, credentialId, ip)) && known ? `${credentialId}|${ip}` : null;
    if (lane) await this.perKnownAddress.consume(lane);
    else {
      await this.perAddress.consume(group); // rejects with RateLimiterRes: nothing is cached
      await this.perGuess.consume(`${user}|${group}`);
    }
    const stored = (known?.customHash && parseCustomHash(known.customHash)) || parseCustomHash(await dummyCustomHash())!;
    const ok = (await this.pool.verify(stored, password)) && !!known;
    if (!ok) {
      await this.wrongPassword(db, known ?? NO_STATE, group);
      // A known name keeps its key in the cached answer (never the hash), so each repeat of the
      // wrong pair counts as a failure of that key; the change feed drops it with the key's entries.
      return known ? { ...known, customHash: undefined, wrongPassword: true } : null;
    }
    const give = lane ? [this.perKnownAddress.reward(lane)] : [this.perAddress.reward(group), this.perGuess.reward(`${user}|${group}`)];
    await Promise.all([...give, this.remember(db, known.credentialId, ip)]);
    return { ...known, customHash: undefined };
  }

  private async remember(db: SqlTarget, credentialId: string, ip: string) {
    const id = `${credentialId}|${ip}`;
    if (this.written.has(id)) return;
    await rememberAddress(db, credentialId, ip);
    this.written.set(id, true);
  }

  /** Counted for the hourly report; never a lock. The mail goes out once the thresholds are met. */
  private async wrongPassword(db: SqlTarget, state: KeyState, group: string) {
    const seen = await this.guessers.consume(`${state.credentialId}|${group}`);
    const count = await countWrongPassword(db, state, seen.consumedPoints === 1);
    if (!count.reportDue || !this.report) return;
    // The guesser's answer does not wait on the mail, and a failed report is retried by the next guess.
    this.report(state).catch((err) => logger().error({ area: "verify", err: errorMessage(err) }, "guessing report failed"));
  }

  close() {
    return this.pool.close();
  }
}
