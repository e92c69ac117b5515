// A Keyport for the SDK's tests and bench: the verification API and the SDK routes on one
// loopback server over a test database, with the verifier's LISTEN-fed change feed, as the
// custom server mounts them. `stop()` and `start()` again on the same port play a restart.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Database } from "@/lib/db/client";
import { isVerifyPath } from "@/lib/verify/handler";
import { startVerifierRuntime, type VerifierRuntime } from "@/lib/verify/runtime";
import { createSdkHandler } from "./server";

export interface TestKeyport {
  url: string;
  runtime: VerifierRuntime;
  sdk: ReturnType<typeof createSdkHandler>;
  stop(): Promise<void>;
}

const listen = (server: Server, port: number) =>
  new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });

/**
 * Listens on the given port, or on a free one under Linux's ephemeral range (32768 and up): a test
 * restarts Keyport on the same port, and a port handed out by the kernel could be handed to another
 * test file's socket meanwhile.
 */
async function listenBelowEphemeral(server: Server, port: number) {
  if (port) return listen(server, port);
  for (let attempt = 0; ; attempt++) {
    try {
      return await listen(server, 20_000 + Math.floor(Math.random() * 12_000));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt > 20) throw err;
    }
  }
}

export async function startTestKeyport(db: Database, port = 0): Promise<TestKeyport> {
  const runtime = await startVerifierRuntime(db.prisma, { databaseUrl: db.url, pool: db.pool });
  const sdk = createSdkHandler({
    db: async () => db.prisma,
    sql: async () => db.pool,
    broadcast: runtime.broadcast,
    usage: runtime.usage,
    clientIp: (req) => req.socket.remoteAddress ?? "",
  });
  const server: Server = createServer((req, res) => {
    if (isVerifyPath(req.url)) return void runtime.handle(req, res);
    sdk.handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await listenBelowEphemeral(server, port);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    runtime,
    sdk,
    async stop() {
      sdk.closeStreams();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await runtime.stop();
    },
  };
}
