import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { errorMessage, incomingRequestId, logger } from "@/lib/core/log";
import { existsSync } from "node:fs";
import { join } from "node:path";
import next from "next";
import { startAppDatabase, type AppDatabase } from "@/lib/db/engine";
import { AlreadyRunningError } from "@/lib/db/app-lock";
import { env, isProduction } from "@/lib/env";
import { demoLoginsText, seedDemo } from "@/prisma/seed";

import { clientAddress, dropUntrustedForwarding, isTrustedProxy } from "./client-ip";
import { edgeGuard } from "./edge-guard";
import { listenHost } from "./host-check";
import { limitConnections, maxConnectionsPerAddress, SERVER_OPTIONS } from "./request-limits";
import { startBackgroundJobs } from "./background";
import { startLoopProbe } from "./loop-probe";
import { startVerifierRuntime } from "@/lib/verify/runtime";
import { isVerifyPath } from "@/lib/verify/handler";
import { createSdkHandler, isSdkPath } from "@/lib/sdk/server";
import { baseSecurityHeaders, crossOriginReason, isBearerOnlyApi, isStaticAsset, NO_STORE } from "./security-headers";
import { serveOps } from "./ops";
import { portalMetrics } from "./portal-metrics";
import { drainServer } from "./drain";
import { checkSharedSecrets, secretsProblem } from "./secrets-check";

/** One line per portal request (not the verification API, not hashed static assets): who, what, how long. */
function logRequest(req: IncomingMessage, res: ServerResponse, requestId: string) {
  const started = performance.now();
  res.once("finish", () =>
    logger().info(
      {
        requestId,
        method: req.method,
        // The path only: a query can carry a search, and an invitation link its token.
        path: (req.url ?? "").split("?")[0].replace(/^\/invite\/[^/]+/, "/invite/[redacted]"),
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      },
      "request",
    ),
  );
}

export async function startServer() {
  const log = logger();
  const dir = process.cwd();
  if (!existsSync(join(dir, ".next", "BUILD_ID"))) {
    console.error("No production build found. Run `npm run build` (npm start does this for you).");
    process.exit(1);
  }
  const problem = secretsProblem();
  if (problem) {
    console.error(`Keyport cannot start: ${problem}`);
    process.exit(1);
  }
  const port = env().PORT;
  const host = listenHost(); // loopback unless HOST is set: the portal is not exposed by accident

  const started = Date.now();
  let engine: AppDatabase;
  try {
    engine = await startAppDatabase();
  } catch (err) {
    console.error(
      err instanceof AlreadyRunningError ? err.message : `Keyport could not open its database: ${err instanceof Error ? err.message : err}`,
    );
    process.exit(1);
  }
  const { database } = engine;
  try {
    await checkSharedSecrets(database.prisma);
  } catch (err) {
    console.error(`Keyport cannot start: ${err instanceof Error ? err.message : err}`);
    await engine.shutdown().catch(() => {});
    process.exit(1);
  }
  const seeded = !isProduction() && env().KEYPORT_DEMO !== "0" ? await seedDemo(database.prisma) : false;

  const app = next({ dev: false, dir, hostname: host, port });
  await app.prepare();
  const handle = app.getRequestHandler();

  const hsts = baseSecurityHeaders()["strict-transport-security"];
  const verifier = await startVerifierRuntime(database.prisma, {
    databaseUrl: database.url,
    pool: database.pool,
    headers: hsts ? { "strict-transport-security": hsts } : undefined,
  });
  // @keyport/verify's routes (token-authenticated, never a cookie), on this process's change feed.
  const sdk = createSdkHandler({
    db: async () => database.prisma,
    sql: async () => database.pool ?? database.prisma,
    broadcast: verifier.broadcast,
    usage: verifier.usage,
    clientIp: clientAddress,
  });
  const securityHeaders = Object.entries(baseSecurityHeaders());
  const guard = edgeGuard();
  let draining = false;
  const readiness = { pool: database.pool, listening: verifier.listening, draining: () => draining };
  portalMetrics(database.prisma);
  const server = createServer(SERVER_OPTIONS, (req: IncomingMessage, res: ServerResponse) => {
    // The verification API bypasses Next.js and the page headers entirely: a lean handler over
    // lib/ that limits its own body, answers JSON with nosniff and no-store, and is called
    // server-to-server with a key under any host name, never with a cookie (so neither the host
    // check nor the same-origin rule applies).
    if (isVerifyPath(req.url)) return void verifier.handle(req, res);
    if (isSdkPath(req.url)) return void sdk.handle(req, res);
    // For load balancers and Prometheus, under any host name, before the page rules.
    if (serveOps(req, res, readiness)) return;
    const requestId = incomingRequestId(req.headers["x-request-id"]) ?? randomUUID();
    res.setHeader("x-request-id", requestId);
    if (!isStaticAsset(req.url)) logRequest(req, res, requestId);
    for (const [k, v] of securityHeaders) res.setHeader(k, v);
    if (guard.refuse(req, res, false)) return;
    const refused = isBearerOnlyApi(req.url, req.headers) ? null : crossOriginReason(req.method, req.headers);
    if (refused) {
      res.writeHead(403, { "content-type": "application/json; charset=utf-8", "cache-control": NO_STORE });
      res.end(JSON.stringify({ error: "cross_origin_request", message: "This request must come from the Keyport site itself." }));
      return;
    }
    // Pages and action responses can carry a one-time secret, a TOTP seed or recovery codes:
    // nothing but hashed static assets may be stored by a browser or proxy cache.
    if (!isStaticAsset(req.url)) {
      const writeHead = res.writeHead;
      res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
        this.setHeader("cache-control", NO_STORE);
        const headers = args[args.length - 1];
        if (headers && typeof headers === "object" && !Array.isArray(headers)) {
          for (const k of Object.keys(headers)) if (k.toLowerCase() === "cache-control") delete (headers as Record<string, unknown>)[k];
        }
        return writeHead.apply(this, args);
      } as ServerResponse["writeHead"];
    }
    // The portal's audit rows record this; a client-sent copy is never believed.
    req.headers["x-keyport-client-ip"] = clientAddress(req);
    dropUntrustedForwarding(req);
    // Next reads the body only once it is complete and within the limit.
    guard.withBody(req, res, () =>
      handle(req, res).catch((err) => {
        log.error({ requestId, err: errorMessage(err) }, "request failed");
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end("Internal error");
      }),
    );
  });
  server.keepAliveTimeout = 65_000;
  limitConnections(server, maxConnectionsPerAddress(), isTrustedProxy);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });

  engine.setPort(port);
  console.log(`\nKeyport is running on http://localhost:${port}  (${engine.where}, ready in ${Date.now() - started} ms)`);
  if (!isProduction() && env().KEYPORT_DEMO !== "0") {
    console.log(`${seeded ? "Demo data created." : "Demo data already present."}\n${demoLoginsText()}\n`);
  }

  const stopJobs = startBackgroundJobs(database.prisma);
  startLoopProbe("portal");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // /readyz answers 503 from now on; requests in flight finish (up to KEYPORT_DRAIN_MS), then
    // the jobs let go of what they claimed, the usage counters flush, and the database closes.
    draining = true;
    log.info({ signal }, "draining");
    sdk.closeStreams(); // SDKs reconnect, to another instance behind the balancer
    await drainServer(server);
    await stopJobs();
    await verifier.stop().catch((e) => log.error({ err: errorMessage(e) }, "stopping the verifier failed"));
    await engine.shutdown().catch((e) => log.error({ err: errorMessage(e) }, "stopping the database failed"));
    const mem = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 1048576);
    log.info({ rssMb: mb(mem.rss), heapUsedMb: mb(mem.heapUsed), heapTotalMb: mb(mem.heapTotal), externalMb: mb(mem.external) }, "stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  // `kill <npm's pid>`: npm passes the signal to its `sh -c`, which dies without passing it on.
  // An orphaned server would keep the port and the database: stop as if signalled.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void stop("parent process exited"), 500).unref();
}
