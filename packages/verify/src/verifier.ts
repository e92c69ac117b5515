import { type CachedState, compile, decide, hashKey, isWellFormedKey, type KeyState, resultFor, type VerifyResult } from "./state.js";

export interface VerifierOptions {
  /** Keyport's address, e.g. https://keys.example.com. */
  url: string;
  /** A management token with the `keys:verify` scope (Management tokens page). */
  token: string;
  /**
   * The cache of answers, keyed by a SHA-256 of the key (never the key): at most `max` keys
   * (least recently used go first). `ttlMs` is the safety TTL: while the change stream is down
   * for longer, answers come from Keyport again. `false` turns the cache off.
   */
  cache?: { max?: number; ttlMs?: number } | false;
  /**
   * When Keyport cannot be reached: "closed" (the default) refuses with KeyportUnavailableError;
   * "open" answers from the cache whatever its age, and still refuses a key it has never seen.
   */
  failMode?: "closed" | "open";
  /** How often counts of cached answers are sent to Keyport (its error rates and "last used"). Default 5 s. */
  usageFlushMs?: number;
  /** Per call to Keyport. Default 5 s. */
  timeoutMs?: number;
  /** Hears what the verifier does (stream connects and drops, reports failing): for logs. */
  onEvent?: (event: VerifierEvent) => void;
}

export type VerifierEvent =
  | { type: "connected"; resumed: boolean }
  | { type: "disconnected"; error?: string }
  | { type: "invalidated"; keyIds: string[] }
  | { type: "reset" }
  | { type: "usage-failed"; error: string };

export interface VerifyOptions {
  /** The client's address, checked against the key's IP allow-list. */
  ip?: string;
  /** Permissions the request needs: a key without one of them is INSUFFICIENT_PERMISSIONS. */
  permissions?: readonly string[];
}

/** Keyport could not be reached (and failMode did not allow an answer). */
export class KeyportUnavailableError extends Error {
  override name = "KeyportUnavailableError";
}
/** Keyport refused the token itself: a configuration error, whatever the failMode. */
export class KeyportTokenError extends Error {
  override name = "KeyportTokenError";
}

export interface Verifier {
  verify(key: string, options?: VerifyOptions): Promise<VerifyResult>;
  /** `Authorization: Bearer <key>` or Basic; null when the header carries no credentials. */
  verifyAuthorization(header: string | null | undefined, options?: VerifyOptions): Promise<VerifyResult | null>;
  /** Resolves once the change stream is connected (the cache is then kept correct). */
  ready(): Promise<void>;
  readonly connected: boolean;
  stats(): { hits: number; misses: number; entries: number; pendingUsage: number };
  /** Sends the counts of cached answers now. */
  flushUsage(): Promise<void>;
  /** Stops the stream and the timers, after a last usage report. */
  close(): Promise<void>;
}

interface Entry {
  state: CachedState;
}
interface Usage {
  keyId: string;
  credentialId: string;
  previous: boolean;
  success: number;
  failure: number;
  ips: Set<string>;
  lastAt: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref?.());

/** Reads a key from `Authorization: Bearer <key>` or `Basic base64(accessKey:secret)`. */
export function credentialsOf(header: string | null | undefined): { key: string } | { basic: string } | null {
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return { key: bearer[1] };
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!basic) return null;
  const text = Buffer.from(basic[1], "base64").toString("utf8");
  const colon = text.indexOf(":");
  const [user, password] = colon < 0 ? [text, ""] : [text.slice(0, colon), text.slice(colon + 1)];
  // accessKey:secret with a generated secret, or the key as the user name (as curl -u key: sends it).
  if (isWellFormedKey(password)) return { key: password };
  if (isWellFormedKey(user) && !password) return { key: user };
  return { basic: header };
}

export function createVerifier(options: VerifierOptions): Verifier {
  const base = options.url.replace(/\/+$/, "");
  const auth = `Bearer ${options.token}`;
  const cacheOn = options.cache !== false;
  const max = (options.cache && options.cache.max) || 10_000;
  const ttlMs = (options.cache && options.cache.ttlMs) || 10_000;
  const failOpen = options.failMode === "open";
  const timeoutMs = options.timeoutMs ?? 5000;
  const emit = options.onEvent ?? (() => {});

  const cache = new Map<string, Entry>();
  const byKey = new Map<string, Set<string>>();
  let hits = 0;
  let misses = 0;
  /** Moves on every invalidation the stream brings: an answer fetched across one is not cached. */
  let generation = 0;
  let connected = false;
  let disconnectedAt = Date.now();
  let closed = false;
  let readyResolve: () => void = () => {};
  const readyPromise = new Promise<void>((r) => (readyResolve = r));

  const forget = (hash: string) => {
    const e = cache.get(hash);
    if (!e) return;
    cache.delete(hash);
    const set = byKey.get(e.state.keyId);
    set?.delete(hash);
    if (set && !set.size) byKey.delete(e.state.keyId);
  };
  const clear = () => {
    cache.clear();
    byKey.clear();
  };
  const remember = (hash: string, state: KeyState) => {
    if (!cacheOn) return;
    forget(hash);
    cache.set(hash, { state: compile(state) });
    let set = byKey.get(state.keyId);
    if (!set) byKey.set(state.keyId, (set = new Set()));
    set.add(hash);
    while (cache.size > max) forget(cache.keys().next().value as string);
  };
  /** A hit, moved to the most recently used end. */
  const lookup = (hash: string) => {
    const e = cache.get(hash);
    if (!e) return undefined;
    cache.delete(hash);
    cache.set(hash, e);
    return e;
  };
  /** The cache answers while the stream is up, or has been down for less than the safety TTL. */
  const trusted = () => connected || Date.now() - disconnectedAt < ttlMs;

  // Usage of cached answers, sent in batches.
  const usage = new Map<string, Usage>();
  const countUse = (s: CachedState, ok: boolean, ip: string | undefined, now: number) => {
    const id = `${s.credentialId}:${s.slot}`;
    let u = usage.get(id);
    if (!u) {
      if (usage.size >= 50_000) return; // Keyport unreachable for long: stop growing
      usage.set(
        id,
        (u = {
          keyId: s.keyId,
          credentialId: s.credentialId,
          previous: s.slot === "PREVIOUS",
          success: 0,
          failure: 0,
          ips: new Set(),
          lastAt: 0,
        }),
      );
    }
    if (ok) {
      u.success++;
      if (ip && u.ips.size < 64) u.ips.add(ip);
    } else u.failure++;
    if (now > u.lastAt) u.lastAt = now;
  };
  async function flushUsage() {
    if (!usage.size) return;
    const batch = [...usage.values()];
    usage.clear();
    try {
      const res = await fetch(`${base}/api/v1/sdk/usage`, {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        body: JSON.stringify({ entries: batch.map((u) => ({ ...u, ips: [...u.ips] })) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await res.arrayBuffer();
    } catch (err) {
      emit({ type: "usage-failed", error: (err as Error).message });
      // Kept for the next report, merged with what came since.
      for (const u of batch) {
        const id = `${u.credentialId}:${u.previous ? "PREVIOUS" : "CURRENT"}`;
        const now = usage.get(id);
        if (!now) usage.set(id, u);
        else {
          now.success += u.success;
          now.failure += u.failure;
          for (const ip of u.ips) if (now.ips.size < 64) now.ips.add(ip);
          now.lastAt = Math.max(now.lastAt, u.lastAt);
        }
      }
    }
  }
  const usageTimer = setInterval(() => void flushUsage(), options.usageFlushMs ?? 5000);
  usageTimer.unref();

  async function remote(key: string, hash: string, o: VerifyOptions): Promise<VerifyResult> {
    const before = generation;
    let res: Response;
    try {
      res = await fetch(`${base}/api/v1/sdk/verify`, {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        body: JSON.stringify({ key, ip: o.ip, permissions: o.permissions ?? [] }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new KeyportUnavailableError(`Keyport could not be reached: ${(err as Error).message}`);
    }
    if (res.status === 401 || res.status === 403) {
      await res.arrayBuffer();
      throw new KeyportTokenError(`Keyport refused the token (HTTP ${res.status}): it needs the keys:verify scope and must be live.`);
    }
    if (!res.ok) {
      await res.arrayBuffer();
      throw new KeyportUnavailableError(`Keyport answered HTTP ${res.status}.`);
    }
    const body = (await res.json()) as { result: Omit<VerifyResult, "sunset" | "cached">; sunset: string | null; state: KeyState | null };
    // A change may have been pushed while this answer was on its way, and the answer may predate it.
    if (body.state && generation === before) remember(hash, body.state);
    return { ...body.result, sunset: body.sunset, cached: false };
  }

  function local(e: Entry, o: VerifyOptions): VerifyResult {
    const now = Date.now();
    const outcome = decide(e.state, now, o.ip, o.permissions ?? []);
    countUse(e.state, outcome === "VALID", o.ip, now);
    return resultFor(outcome, e.state, true);
  }

  async function verify(key: string, o: VerifyOptions = {}): Promise<VerifyResult> {
    if (closed) throw new Error("This verifier was closed.");
    if (!isWellFormedKey(key)) return resultFor("MALFORMED", null, true);
    const hash = hashKey(key);
    const e = cacheOn ? lookup(hash) : undefined;
    if (e && trusted()) {
      hits++;
      return local(e, o);
    }
    misses++;
    try {
      return await remote(key, hash, o);
    } catch (err) {
      // Open: the last answer Keyport gave for this key, however old; never one for a key not seen.
      if (err instanceof KeyportUnavailableError && failOpen && e) return local(e, o);
      throw err;
    }
  }

  /** Basic auth with a password of the user's own choosing: Keyport checks it (never cached). */
  async function verifyBasic(header: string, o: VerifyOptions): Promise<VerifyResult> {
    let res: Response;
    try {
      res = await fetch(`${base}/api/v1/keys/verify`, {
        method: "POST",
        headers: { authorization: header, "content-type": "application/json" },
        body: JSON.stringify(o.permissions?.length ? { permissions: o.permissions } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new KeyportUnavailableError(`Keyport could not be reached: ${(err as Error).message}`);
    }
    if (res.status !== 200) {
      await res.arrayBuffer();
      throw new KeyportUnavailableError(`Keyport answered HTTP ${res.status}.`);
    }
    return { ...((await res.json()) as Omit<VerifyResult, "sunset" | "cached">), sunset: res.headers.get("sunset"), cached: false };
  }

  // The change stream: ids of keys that changed, pushed by Keyport.
  let current: AbortController | null = null;
  let lastEventId: string | null = null;
  const markConnected = (resumed: boolean) => {
    if (connected) return;
    connected = true;
    emit({ type: "connected", resumed });
    readyResolve();
  };
  const markDisconnected = (error?: string) => {
    if (!connected) return;
    connected = false;
    disconnectedAt = Date.now();
    emit({ type: "disconnected", error });
  };
  const onEvent = (type: string, data: string, resumed: boolean) => {
    if (type === "ready" || type === "reset" || type === "changed") generation++;
    if (type === "ready") {
      // A fresh stream: what changed before it is unknown, so nothing cached before it is trusted.
      clear();
      markConnected(false);
    } else if (type === "reset") {
      clear();
      emit({ type: "reset" });
      markConnected(resumed);
    } else if (type === "changed") {
      const { keyIds } = JSON.parse(data) as { keyIds: string[] };
      for (const id of keyIds) for (const hash of [...(byKey.get(id) ?? [])]) forget(hash);
      if (keyIds.length) emit({ type: "invalidated", keyIds });
      markConnected(resumed);
    }
  };
  async function streamOnce() {
    const ac = new AbortController();
    current = ac;
    const headers: Record<string, string> = { authorization: auth, accept: "text/event-stream" };
    const resumed = lastEventId !== null;
    if (lastEventId) headers["last-event-id"] = lastEventId;
    const res = await fetch(`${base}/api/v1/keys/changes`, { headers, signal: ac.signal });
    if (!res.ok || !res.body) {
      await res.arrayBuffer().catch(() => {});
      throw new Error(`change stream: HTTP ${res.status}`);
    }
    // Heartbeats come every 15 s: 40 s of silence is a dead connection.
    let watchdog = setTimeout(() => ac.abort(), 40_000);
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => ac.abort(), 40_000);
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id: string | null = null;
          let type = "message";
          let data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("id: ")) id = line.slice(4);
            else if (line.startsWith("event: ")) type = line.slice(7);
            else if (line.startsWith("data: ")) data += line.slice(6);
          }
          if (id) lastEventId = id;
          if (type !== "message") onEvent(type, data, resumed);
        }
      }
    } finally {
      clearTimeout(watchdog);
    }
  }
  void (async () => {
    let backoff = 250;
    while (!closed) {
      try {
        await streamOnce();
        backoff = 250; // it was up and ended: reconnect soon
      } catch (err) {
        if (!closed) markDisconnected((err as Error).message);
      }
      if (closed) break;
      markDisconnected();
      await sleep(backoff + Math.random() * backoff);
      backoff = Math.min(backoff * 2, 10_000);
    }
  })();

  return {
    verify,
    async verifyAuthorization(header, o = {}) {
      const c = credentialsOf(header);
      if (!c) return null;
      return "key" in c ? verify(c.key, o) : verifyBasic(c.basic, o);
    },
    ready: () => readyPromise,
    get connected() {
      return connected;
    },
    stats: () => ({ hits, misses, entries: cache.size, pendingUsage: usage.size }),
    flushUsage,
    async close() {
      closed = true;
      clearInterval(usageTimer);
      current?.abort();
      connected = false;
      await flushUsage();
      clear();
    },
  };
}
