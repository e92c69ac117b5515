import type { Server } from "node:http";
import { env } from "@/lib/env";

export const DEFAULT_DRAIN_MS = 10_000;

/**
 * Stops a server without dropping a request: it stops accepting connections, each keep-alive
 * connection is closed once its answer in flight is done (and any later request on it is answered
 * with `Connection: close`), and the requests in flight get up to KEYPORT_DRAIN_MS (10 s) to
 * finish before the remaining connections are cut. Public API only: close() resolves when the
 * last connection has ended, and an idle one is closed at each tick.
 */
export function drainServer(server: Server, timeoutMs = env().KEYPORT_DRAIN_MS ?? DEFAULT_DRAIN_MS): Promise<void> {
  server.prependListener("request", (_req, res) => {
    res.shouldKeepAlive = false;
  });
  return new Promise<void>((resolve) => {
    const tick = setInterval(() => server.closeIdleConnections(), 20);
    const cut = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearInterval(tick);
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
