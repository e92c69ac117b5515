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
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
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
