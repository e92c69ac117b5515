// The server side of @keyport/verify (packages/verify): three routes for services that verify
// keys in their own process, each behind a management token with the `keys:verify` scope.
//   POST /api/v1/sdk/verify   one verification, answered like POST /api/v1/keys/verify, plus the
//                             credential's state for the SDK's cache (for this merchant's keys only)
//   GET  /api/v1/keys/changes Server-Sent Events: ids of this merchant's keys that changed
//   POST /api/v1/sdk/usage    counts of verifications the SDK answered from its cache
// They run on the custom server beside the verification API (never through Next), on the
// process's one change feed: one database listener per process, however many streams.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { errorMessage, logger } from "@/lib/core/log";
import { AppError } from "@/lib/core/errors";
import { parseIp } from "@/lib/keys/ip";
import { checksumMatches, hashSecret, hasSecretShape } from "@/lib/keys/secret";
import { authenticateToken, bearerOf } from "@/lib/tokens/authenticate";
import { hashToken, isTokenShape } from "@/lib/tokens/format";
import { scopesAllow } from "@/lib/tokens/scopes";
import { declaredTooLarge, holdBody } from "@/lib/server/request-limits";
import { PROBLEM_BASE } from "@/lib/api/problem";
import { decide, responseFor } from "@/lib/verify/decide";
import { loadBySecretHash } from "@/lib/verify/load";
import { UsageRecorder } from "@/lib/verify/usage";
import type { SqlTarget } from "@/lib/verify/sql";
import type { ChangeBroadcast, StreamEvent } from "@/lib/verify/change-broadcast";
import type { KeyState } from "@/lib/verify/types";
import { RETENTION } from "@/lib/jobs/retention";

export const SDK_VERIFY_PATH = "/api/v1/sdk/verify";
export const SDK_USAGE_PATH = "/api/v1/sdk/usage";
export const CHANGES_PATH = "/api/v1/keys/changes";
const PATHS = new Set([SDK_VERIFY_PATH, SDK_USAGE_PATH, CHANGES_PATH]);
export const isSdkPath = (url: string | undefined) => PATHS.has((url ?? "").split("?")[0]);

/** A comment line on every stream this often, so proxies keep it open and the SDK knows it is alive. */
export const HEARTBEAT_MS = 15_000;
const MAX_BODY = 256 * 1024;
/** Usage entries per report, and verifications per entry, at most (a report covers a few seconds). */
const MAX_ENTRIES = 5000;
const MAX_COUNT = 1_000_000;

/** What the SDK caches of a credential: what lib/verify/decide needs, never a hash or a secret. */
export interface SdkKeyState {
  keyId: string;
  merchantId: string;
  environment: string;
  channel: string;
  status: string;
  permissions: string[];
  ipAllowList: string[];
  channelIpAllowList: string[] | null;
  expiresAt: number;
  credentialId: string;
  slot: "CURRENT" | "PREVIOUS";
  credentialExpiresAt: number | null;
}
const sdkState = (s: KeyState): SdkKeyState => ({
  keyId: s.keyId,
  merchantId: s.merchantId,
  environment: s.environment,
  channel: s.channel,
  status: s.status,
  permissions: s.permissions,
  ipAllowList: s.ipAllowList.map((c) => c.text),
  channelIpAllowList: s.channelIpAllowList?.map((c) => c.text) ?? null,
  expiresAt: s.expiresAt,
  credentialId: s.credentialId,
  slot: s.slot,
  credentialExpiresAt: s.credentialExpiresAt,
});

const verifyBody = z.strictObject({
  key: z.string().max(200),
  ip: z.string().max(64).optional(),
  permissions: z.array(z.string().max(64)).max(20).default([]),
});
const usageBody = z.strictObject({
  entries: z
    .array(
      z.strictObject({
        keyId: z.uuid(),
        credentialId: z.uuid(),
        success: z.number().int().min(0).max(MAX_COUNT),
        failure: z.number().int().min(0).max(MAX_COUNT),
        ips: z.array(z.string().max(64)).max(64).default([]),
        previous: z.boolean().default(false),
        lastAt: z.number().int().min(0),
      }),
    )
    .max(MAX_ENTRIES),
});

/**
 * The change stream's event id: the feed's horizon (an xid: every change of a transaction below
 * it was sent) and when it was sent. A stream resumes from it; one older than the feed's
 * retention is answered with `reset` (drop the whole cache), as is one from another database.
 */
export const eventId = (cursor: bigint, at = Date.now()) => `${cursor}.${at}`;
export function parseEventId(id: string | undefined, now = Date.now()): { cursor: bigint } | "reset" | null {
  if (!id) return null;
  const m = /^(\d{1,20})\.(\d{13})$/.exec(id.trim());
  if (!m) return "reset";
  if (now - Number(m[2]) > RETENTION.keyChangesMs - 3600_000) return "reset";
  return { cursor: BigInt(m[1]) };
}

function problem(res: ServerResponse, status: number, type: string, detail: string, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    "content-type": "application/problem+json",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  res.end(JSON.stringify({ type: `${PROBLEM_BASE}${type}`, title: detail, status, detail }));
}
const json = (res: ServerResponse, body: unknown) => {
  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store", "x-content-type-options": "nosniff" });
  res.end(JSON.stringify(body));
};

interface Caller {
  merchantId: string;
}
/** Tokens already checked, for a few seconds: a revoked token stops working within that. */
const AUTH_TTL_MS = 5000;

export interface SdkDeps {
  db: () => Promise<Db>;
  /** Where the verifier's own statements run (the pg pool behind Prisma). */
  sql: () => Promise<SqlTarget>;
  broadcast: ChangeBroadcast;
  /** The verification API's usage counters (central verifications count there). */
  usage: UsageRecorder;
  clientIp: (req: IncomingMessage) => string;
  now?: () => number;
}

export function createSdkHandler(deps: SdkDeps) {
  const now = deps.now ?? Date.now;
  const checked = new Map<string, { caller: Caller; until: number }>();
  const streams = new Set<ServerResponse>();

  async function authenticate(req: IncomingMessage, res: ServerResponse): Promise<Caller | null> {
    const token = bearerOf(req.headers.authorization ?? null);
    if (!isTokenShape(token)) {
      problem(res, 401, "invalid-token", "Send Authorization: Bearer kpm_… (a management token with the keys:verify scope).");
      return null;
    }
    const hash = hashToken(token);
    const hit = checked.get(hash);
    if (hit && hit.until > now()) return hit.caller;
    try {
      const db = await deps.db();
      const auth = await authenticateToken(db, token, null, {
        clientIp: deps.clientIp(req),
        userAgent: req.headers["user-agent"]?.slice(0, 300) ?? null,
      });
      if (!scopesAllow(auth.scopes, "keys.verify")) {
        problem(res, 403, "insufficient-scope", "This needs a token with the keys:verify scope.");
        return null;
      }
      const caller = { merchantId: auth.actor.merchantId };
      if (checked.size > 10_000) checked.clear();
      checked.set(hash, { caller, until: now() + AUTH_TTL_MS });
      return caller;
    } catch (err) {
      if (err instanceof AppError) {
        problem(res, 401, "invalid-token", "The management token is missing, malformed, revoked or expired.");
        return null;
      }
      throw err;
    }
  }

  function readJson(req: IncomingMessage, res: ServerResponse, done: (value: unknown) => void) {
    if (declaredTooLarge(req, MAX_BODY)) return problem(res, 413, "malformed-request", `The body must be at most ${MAX_BODY} bytes.`);
    holdBody(
      req,
      MAX_BODY,
      (body) => {
        try {
          done(JSON.parse(body.toString("utf8") || "{}"));
        } catch {
          problem(res, 400, "malformed-request", "The body is not valid JSON.");
        }
      },
      () => {
        problem(res, 413, "malformed-request", `The body must be at most ${MAX_BODY} bytes.`);
        req.destroy();
      },
      { handBack: false },
    );
  }

  /** One verification from the SDK (a cache miss): the HTTP API's answer, plus the state to cache. */
  async function verify(caller: Caller, body: unknown, res: ServerResponse) {
    const parsed = verifyBody.safeParse(body);
    if (!parsed.success) return problem(res, 422, "validation", "Send {key, ip?, permissions?}.");
    const { key, ip, permissions } = parsed.data;
    const t = now();
    if (!hasSecretShape(key) || !checksumMatches(key))
      return json(res, { result: responseFor("MALFORMED", null), sunset: null, state: null });
    const state = await loadBySecretHash(await deps.sql(), hashSecret(key));
    if (!state) return json(res, { result: responseFor("NOT_FOUND", null), sunset: null, state: null });
    const ipText = ip ?? "";
    const outcome = decide(state, t, () => parseIp(ipText), permissions);
    deps.usage.record(state.keyId, state.credentialId, outcome === "VALID", ipText, t, state.slot === "PREVIOUS");
    const sunset =
      outcome === "VALID" && state.slot === "PREVIOUS" && state.credentialExpiresAt
        ? new Date(state.credentialExpiresAt).toUTCString()
        : null;
    // Another merchant's key is answered, but not handed out for caching: this token's stream
    // would never say when it changes.
    json(res, { result: responseFor(outcome, state), sunset, state: state.merchantId === caller.merchantId ? sdkState(state) : null });
  }

  /** Counts of verifications the SDK answered itself: recorded as if verified here. */
  async function usage(caller: Caller, body: unknown, res: ServerResponse) {
    const parsed = usageBody.safeParse(body);
    if (!parsed.success)
      return problem(res, 422, "validation", "Send {entries: [{keyId, credentialId, success, failure, ips, previous, lastAt}]}.");
    const entries = parsed.data.entries;
    if (!entries.length) return json(res, { recorded: 0 });
    const db = await deps.db();
    const owned = await db.credential.findMany({
      where: { id: { in: [...new Set(entries.map((e) => e.credentialId))] }, apiKey: { merchantId: caller.merchantId } },
      select: { id: true, apiKeyId: true },
    });
    const keyOf = new Map(owned.map((c) => [c.id, c.apiKeyId]));
    const recorder = new UsageRecorder();
    let recorded = 0;
    const t = now();
    for (const e of entries) {
      // Another merchant's credential, or a key id that is not its key: ignored, never counted.
      if (keyOf.get(e.credentialId) !== e.keyId) continue;
      const at = Math.min(e.lastAt, t);
      const ips = e.ips.filter((ip) => parseIp(ip));
      // In bulk: a report of a million answers costs what one does (never a loop per answer).
      recorder.recordMany(e.keyId, e.credentialId, true, e.success, ips, at, e.previous);
      recorder.recordMany(e.keyId, e.credentialId, false, e.failure, [], at, e.previous);
      recorded += e.success + e.failure;
    }
    await recorder.flush(await deps.sql());
    json(res, { recorded });
  }

  /** The change stream: resumes from Last-Event-ID (or ?since=), heartbeats, this merchant's key ids only. */
  async function changes(caller: Caller, req: IncomingMessage, res: ServerResponse) {
    const since = parseEventId(
      (req.headers["last-event-id"] as string | undefined) ?? new URL(req.url ?? "/", "http://x").searchParams.get("since") ?? undefined,
    );
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
      "x-content-type-options": "nosniff",
      connection: "keep-alive",
    });
    res.flushHeaders();
    const send = (e: StreamEvent) => {
      const data = e.reset ? "{}" : JSON.stringify({ keyIds: e.keyIds });
      res.write(`id: ${eventId(e.cursor, now())}\nevent: ${e.reset ? "reset" : "changed"}\ndata: ${data}\n\n`);
    };
    // Subscribe before catching up, so nothing committed in between is missed (a key id sent twice is harmless).
    const pending: StreamEvent[] = [];
    let live = false;
    const unsubscribe = deps.broadcast.subscribe(caller.merchantId, (e) => (live ? send(e) : pending.push(e)));
    streams.add(res);
    const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), HEARTBEAT_MS);
    heartbeat.unref();
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    };
    req.on("close", close);
    res.on("error", close);
    res.write("retry: 1000\n\n");
    const cursor = deps.broadcast.cursor;
    if (since === "reset") send({ cursor, reset: true });
    else if (since) {
      const rows = await (await deps.db()).keyChange.findMany({
        where: { merchantId: caller.merchantId, xid: { gte: since.cursor } },
        select: { apiKeyId: true },
        distinct: ["apiKeyId"],
        take: 50_000,
      });
      send(rows.length >= 50_000 ? { cursor, reset: true } : { cursor, reset: false, keyIds: rows.map((r) => r.apiKeyId) });
    } else res.write(`id: ${eventId(cursor, now())}\nevent: ready\ndata: {}\n\n`);
    live = true;
    for (const e of pending) send(e);
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? "").split("?")[0];
    const method = path === CHANGES_PATH ? "GET" : "POST";
    if (req.method !== method) return problem(res, 405, "malformed-request", `Use ${method}.`, { allow: method });
    if (path === CHANGES_PATH) {
      const caller = await authenticate(req, res);
      if (caller) await changes(caller, req, res);
      return;
    }
    readJson(
      req,
      res,
      (body) =>
        void (async () => {
          const caller = await authenticate(req, res);
          if (!caller) return;
          if (path === SDK_VERIFY_PATH) await verify(caller, body, res);
          else await usage(caller, body, res);
        })().catch((err) => failed(res, err)),
    );
  }

  function failed(res: ServerResponse, err: unknown) {
    logger().error({ area: "sdk", err: errorMessage(err) }, "sdk request failed");
    if (!res.headersSent) problem(res, 503, "internal", "Temporarily unavailable. Retry shortly.", { "retry-after": "1" });
    else res.end();
  }

  return {
    handle(req: IncomingMessage, res: ServerResponse) {
      route(req, res).catch((err) => failed(res, err));
    },
    /** Open change streams (for draining and tests). */
    get streams() {
      return streams.size;
    },
    /** Ends every open stream: the SDKs reconnect (to another instance while this one drains). */
    closeStreams() {
      for (const s of streams) s.end();
      streams.clear();
    },
  };
}
