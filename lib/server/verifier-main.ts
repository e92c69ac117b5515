// `npm run start:verifier` (scripts/run.mjs): the verification API alone, on VERIFIER_PORT (default 3001), to scale
// apart from the portal. It uses DATABASE_URL, or the embedded server that `npm start` runs.
// VERIFIER_WORKERS=N runs N processes on one port (node:cluster); each keeps its own cache and
// listens to the change feed itself.
import cluster from "node:cluster";
import { createServer } from "node:http";
import { register } from "node:module";
import { env } from "@/lib/env";
import { logger } from "@/lib/core/log";

const workers = env().VERIFIER_WORKERS;
if (cluster.isPrimary && workers > 1) {
  let shuttingDown = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on("exit", (w, code, signal) => {
    if (shuttingDown) return;
    logger().error({ worker: w.process.pid, exit: signal ?? code }, "verifier worker exited; starting another");
    cluster.fork();
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      shuttingDown = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(sig);
      let left = Object.keys(cluster.workers ?? {}).length;
      if (left === 0) process.exit(0);
      cluster.on("exit", () => --left === 0 && process.exit(0));
    });
  }
} else {
  // Through tsx only: scripts/run.mjs bundles this file with `server-only` resolved.
  if (process.env.KEYPORT_BUNDLED !== "1") register("./server-only-hook.mjs", import.meta.url);
  (await import("./heap")).limitHeapGrowth();
  const { getDatabase, closeDatabase } = await import("@/lib/db/client");
  const { startVerifierRuntime } = await import("@/lib/verify/runtime");
  const { VERIFY_PATH, isVerifyPath } = await import("@/lib/verify/handler");
  const { limitConnections, maxConnectionsPerAddress, SERVER_OPTIONS } = await import("./request-limits");
  const { isTrustedProxy } = await import("./client-ip");
  const { serveOps } = await import("./ops");
  const { drainServer } = await import("./drain");

  const db = await getDatabase().catch((err) => {
    console.error(`Keyport verifier could not open the database: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
  const verifier = await startVerifierRuntime(db.prisma, { databaseUrl: db.url, pool: db.pool });
  (await import("./loop-probe")).startLoopProbe("verifier");
  const port = env().VERIFIER_PORT;
  let draining = false;
  const readiness = { pool: db.pool, listening: verifier.listening, draining: () => draining };
  const server = createServer(SERVER_OPTIONS, (req, res) => {
    if (isVerifyPath(req.url)) return void verifier.handle(req, res);
    if (serveOps(req, res, readiness)) return;
    res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not_found"}');
  });
  server.keepAliveTimeout = 65_000;
  limitConnections(server, maxConnectionsPerAddress(), isTrustedProxy);
  server.listen(port, env().HOST ?? "127.0.0.1", () => {
    if (cluster.isPrimary || cluster.worker?.id === 1)
      console.log(`Keyport verifier on http://localhost:${port}${VERIFY_PATH}${workers > 1 ? ` (${workers} workers)` : ""}`);
  });
  // /readyz says 503 first; the requests in flight finish, then the usage counters flush.
  let stopping = false;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, async () => {
      if (stopping) return;
      stopping = draining = true;
      await drainServer(server);
      await verifier.stop();
      await closeDatabase();
      process.exit(0);
    });
  }
}
