import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorMessage, incomingRequestId, logger } from "@/lib/core/log";
import { parseIp } from "@/lib/keys/ip";
import { checksumMatches, hashSecret, hasSecretShape } from "@/lib/keys/secret";
import { declaredTooLarge, holdBody } from "@/lib/server/request-limits";
import { BasicAuth } from "./basic-auth";
import { HashPoolBusy } from "./password-pool";
import { GateFull } from "./bounded";
import type { KeyCache } from "./cache";
import { decide, responseFor, responseJson } from "./decide";
import { loadBySecretHash } from "./load";
import type { UsageRecorder } from "./usage";
import type { SqlTarget } from "./sql";
import type { KeyState, Outcome } from "./types";

export const VERIFY_PATH = "/api/v1/keys/verify";
/** The verification API's path, with or without a query string (which the handler then refuses). */
export const isVerifyPath = (url: string | undefined) => url === VERIFY_PATH || !!url?.startsWith(`${VERIFY_PATH}?`);
export const MAX_BODY_BYTES = 4096;

export interface VerifierDeps {
  db: () => Promise<SqlTarget>;
  cache: KeyCache;
  usage: UsageRecorder;
  clientIp: (req: IncomingMessage) => string;
  /** HTTP Basic checks (limits and the password threads); one per process by default. */
  basic?: BasicAuth;
  now?: () => number;
  /** Headers every answer carries besides the JSON ones (the portal server's HSTS). */
  headers?: Record<string, string>;
  /** Metrics (only when they are on): each answer's outcome and latency, and cache hits and misses. */
  observe?: (outcome: Outcome, startedAt: number) => void;
  stats?: { hits: number; misses: number };
}

const JSON_HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

/**
 * Date.now as it was when this module loaded. Next.js later wraps the global one (to notice the
 * clock being read while it prerenders), and the wrapper reads two AsyncLocalStorage stores on
 * every call: a fifth of a microsecond per verification on the portal's server.
 */
const wallClock = Date.now;

const NOT_FOUND_JSON = JSON.stringify(responseFor("NOT_FOUND", null));
const MALFORMED_JSON = JSON.stringify(responseFor("MALFORMED", null));
const IP_NOT_ALLOWED_JSON = JSON.stringify(responseFor("IP_NOT_ALLOWED", null));
const RATE_LIMITED_JSON = JSON.stringify(responseFor("RATE_LIMITED", null));

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Collects the body as the HTTP parser hands it to the request (holdBody, without handing it
 * back), not through the request stream, and hands it on, or answers 413 past the limit. No
 * promise, no listener and no nextTick lie between the body's last byte and the answer: a cache
 * hit is answered in the same call. On the portal's server every nextTick and async resource also
 * runs Next.js's AsyncLocalStorage hooks; reading through the stream cost two ticks and three
 * listeners a request.
 */
function readBody(req: IncomingMessage, res: ServerResponse, tooLarge: (res: ServerResponse) => void, done: (raw: string) => void) {
  if (declaredTooLarge(req, MAX_BODY_BYTES)) return tooLarge(res);
  holdBody(
    req,
    MAX_BODY_BYTES,
    (body) => done(body.toString("utf8")),
    () => {
      tooLarge(res);
      req.destroy();
    },
    { handBack: false },
  );
}

interface Parsed {
  kind: "secret";
  key: unknown;
  permissions: string[];
}
interface ParsedBasic {
  kind: "basic";
  user: string;
  password: string;
  permissions: string[];
}

function parseRequest(req: IncomingMessage, raw: string): Parsed | ParsedBasic {
  let body: Record<string, unknown> = {};
  if (raw.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new HttpError(400, "invalid_json", "The body is not valid JSON.");
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
      throw new HttpError(400, "invalid_body", "The body must be a JSON object.");
    body = parsed as Record<string, unknown>;
  }
  const perms = body.permissions;
  if (perms !== undefined && (!Array.isArray(perms) || perms.length > 20 || perms.some((p) => typeof p !== "string" || p.length > 64))) {
    throw new HttpError(400, "invalid_permissions", "permissions must be an array of at most 20 scope names.");
  }
  const permissions = (perms as string[] | undefined) ?? [];
  const auth = req.headers.authorization;
  if (auth !== undefined && body.key === undefined) {
    const m = /^Basic ([A-Za-z0-9+/=]{1,700})$/.exec(auth);
    const decoded = m ? Buffer.from(m[1], "base64").toString("utf8") : "";
    const colon = decoded.indexOf(":");
    if (colon < 1) throw new HttpError(401, "invalid_authorization", 'Use HTTP Basic with accessKey:secret, or send {"key": …} as JSON.');
    return { kind: "basic", user: decoded.slice(0, colon), password: decoded.slice(colon + 1), permissions };
  }
  if (body.key === undefined) throw new HttpError(400, "missing_key", 'Send the key as {"key": "kp_live_…"}.');
  return { kind: "secret", key: body.key, permissions };
}

/**
 * POST /api/v1/keys/verify as a bare node:http handler (no Next.js pipeline on the hot path).
 * A malformed key or a bad checksum is answered before the cache or the database is touched, and
 * a cache hit is answered synchronously, with no promise: on a server whose other code uses
 * AsyncLocalStorage (Next.js does), every promise pays for its async hooks.
 */
export function createVerifyHandler(deps: VerifierDeps) {
  const now = deps.now ?? wallClock;
  const basic = deps.basic ?? new BasicAuth({ cache: deps.cache, db: deps.db });
  const base: Record<string, string> = { ...JSON_HEADERS, ...deps.headers };
  // The usual answer's headers as one flat array whose last slot takes each answer's length: no
  // headers object per request (writeHead reads the array before it returns).
  const usual = [...Object.entries(base).flat(), "content-length", "0"];
  const LENGTH = usual.length - 1;

  function send(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) {
    const payload = typeof body === "string" ? body : JSON.stringify(body);
    if (headers) res.writeHead(status, { ...base, "content-length": Buffer.byteLength(payload), ...headers });
    else {
      usual[LENGTH] = String(Buffer.byteLength(payload));
      res.writeHead(status, usual);
    }
    res.end(payload);
  }
  const fail = (res: ServerResponse, status: number, error: string, message: string, headers?: Record<string, string>) =>
    send(res, status, { error, message }, headers);
  const tooLarge = (res: ServerResponse) => fail(res, 413, "body_too_large", `The body must be at most ${MAX_BODY_BYTES} bytes.`);

  const observe = deps.observe;
  const stats = deps.stats;
  /** The clock of a request's start, for the latency metric: read only when metrics are on. */
  const started = () => (observe ? performance.now() : 0);
  const answered = (res: ServerResponse, json: string, outcome: Outcome, t0: number, headers?: Record<string, string>) => {
    send(res, 200, json, headers);
    observe?.(outcome, t0);
  };

  const answer = (res: ServerResponse, state: KeyState | null, permissions: string[], ipText: string, t: number, t0: number) => {
    if (!state) return answered(res, NOT_FOUND_JSON, "NOT_FOUND", t0);
    const outcome = decide(state, t, () => parseIp(ipText), permissions);
    deps.usage.record(state.keyId, state.credentialId, outcome === "VALID", ipText, t, state.slot === "PREVIOUS");
    const rotation = outcome === "VALID" && state.slot === "PREVIOUS" && state.credentialExpiresAt;
    answered(
      res,
      responseJson(outcome, state),
      outcome,
      t0,
      rotation ? { sunset: new Date(state.credentialExpiresAt!).toUTCString() } : undefined,
    );
  };

  const failed = (req: IncomingMessage, res: ServerResponse, err: unknown) => {
    if (err instanceof HttpError) return fail(res, err.status, err.code, err.message);
    if (err instanceof HashPoolBusy || err instanceof GateFull)
      return fail(res, 503, "busy", "Too many checks waiting. Retry shortly.", { "retry-after": "1" });
    // Only the failures get a request id: the answer carries it, so a caller's report finds the log line.
    const requestId = incomingRequestId(req.headers["x-request-id"]) ?? randomUUID();
    logger().error({ area: "verify", requestId, err: errorMessage(err) }, "verification failed");
    if (!res.headersSent)
      return fail(res, 503, "unavailable", "Verification is temporarily unavailable. Retry shortly.", {
        "retry-after": "1",
        "x-request-id": requestId,
      });
  };

  async function viaBasic(res: ServerResponse, request: ParsedBasic, ipText: string, t: number, t0: number) {
    const checked = await basic.verify(request.user, request.password, ipText);
    if ("limited" in checked) return answered(res, RATE_LIMITED_JSON, "RATE_LIMITED", t0, { "retry-after": String(checked.retryAfterS) });
    // Outside the key's allow-list: refused before any password check, and nothing of the key is said.
    if ("addressRefused" in checked) return answered(res, IP_NOT_ALLOWED_JSON, "IP_NOT_ALLOWED", t0);
    if (checked.failed) deps.usage.recordFailure(checked.failed.keyId, checked.failed.credentialId, t);
    answer(res, checked.state, request.permissions, ipText, t, t0);
  }

  const respond = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    try {
      const request = parseRequest(req, raw);
      const t = now();
      const t0 = started();
      const ipText = deps.clientIp(req);
      if (request.kind === "basic") return void viaBasic(res, request, ipText, t, t0).catch((err) => failed(req, res, err));
      if (!hasSecretShape(request.key)) return answered(res, MALFORMED_JSON, "MALFORMED", t0);
      const hash = hashSecret(request.key);
      // Only keys whose checksum matched are ever cached, so a hit needs no checksum.
      const cached = deps.cache.peek(hash);
      if (cached !== undefined) {
        if (stats) stats.hits++;
        return answer(res, cached, request.permissions, ipText, t, t0);
      }
      if (!checksumMatches(request.key)) return answered(res, MALFORMED_JSON, "MALFORMED", t0);
      if (stats) stats.misses++;
      deps.cache
        .fetch(hash, async () => loadBySecretHash(await deps.db(), hash))
        .then(
          (state) => answer(res, state, request.permissions, ipText, t, t0),
          (err) => failed(req, res, err),
        );
    } catch (err) {
      failed(req, res, err);
    }
  };

  return function handle(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== "POST") return fail(res, 405, "method_not_allowed", "Use POST.", { allow: "POST" });
    const query = (req.url ?? "").split("?")[1];
    if (query && /(^|&)(key|secret|api_key)=/i.test(query)) {
      return fail(res, 400, "key_in_query", "Never put a key in a URL: send it in the JSON body.");
    }
    readBody(req, res, tooLarge, (raw) => respond(req, res, raw));
  };
}
