import { timingSafeEqual, createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { env } from "@/lib/env";
import { loadMigrations } from "@/lib/db/migrate";
import type { Queryable } from "@/lib/verify/sql";
import { metrics } from "./metrics";

// What operators and load balancers call, on the portal and on the verifier alike, before any
// other handler: GET /healthz (the process runs), GET /readyz (it can serve: database reachable,
// migrations applied, cache listener connected, not draining) and GET /metrics (Prometheus, only
// with KEYPORT_METRICS_TOKEN as a bearer token). None needs a session, and none says more than
// ready or not: no versions, no names, no reasons an attacker could use.

export const OPS_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

export interface Readiness {
  /** The database pool (a reachability check and the migrations' record). */
  pool: Queryable;
  /** Whether this process's change-feed listener is connected (true where there is none). */
  listening: () => boolean;
  /** Set once SIGTERM arrived: /readyz answers 503 first, so the balancer stops sending. */
  draining: () => boolean;
}

const READY_TIMEOUT_MS = 2000;

/** This build's migrations: the folder is read once, not on every probe. */
let migrationNames: string[] | undefined;

/** Ready: not draining, the listener up, the database answering, and every migration of this build applied. */
export async function isReady(r: Readiness): Promise<boolean> {
  if (r.draining() || !r.listening()) return false;
  const names = (migrationNames ??= loadMigrations().map((m) => m.name));
  let timer: NodeJS.Timeout | undefined;
  try {
    const check = r.pool.query(
      "SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL AND migration_name = ANY($1)",
      [names],
    );
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), READY_TIMEOUT_MS)));
    const { rows } = await Promise.race([check, timeout]);
    return (rows[0] as { n: number }).n === names.length;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

const sameToken = (given: string, expected: string) => {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
};

function json(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}

/** Answers /healthz, /readyz and /metrics; returns false for any other request. */
export function serveOps(req: IncomingMessage, res: ServerResponse, r: Readiness): boolean {
  const path = (req.url ?? "").split("?")[0];
  if (!OPS_PATHS.has(path)) return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    json(res, 405, { error: "method_not_allowed" }, { allow: "GET, HEAD" });
    return true;
  }
  if (path === "/healthz") json(res, 200, { status: "ok" });
  else if (path === "/readyz")
    void isReady(r).then((ok) => json(res, ok ? 200 : 503, { status: ok ? "ready" : "not ready" }, ok ? {} : { "retry-after": "1" }));
  else void serveMetrics(req, res);
  return true;
}

async function serveMetrics(req: IncomingMessage, res: ServerResponse) {
  const token = env().KEYPORT_METRICS_TOKEN;
  const m = metrics();
  if (!token || !m) return json(res, 404, { error: "not_found" });
  const given = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
  if (!given || !sameToken(given, token))
    return json(res, 401, { error: "unauthorized" }, { "www-authenticate": 'Bearer realm="metrics"' });
  const body = await m.registry.metrics();
  res.writeHead(200, { "content-type": m.registry.contentType, "cache-control": "no-store" });
  res.end(body);
}
