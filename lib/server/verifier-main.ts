// `npm run start:verifier`: the verification API alone, on VERIFIER_PORT (default 3001), to scale
// apart from the portal. It uses DATABASE_URL, or the embedded server that `npm start` runs.
import { createServer } from "node:http";
import { register } from "node:module";

register("./server-only-hook.mjs", import.meta.url);
const { getDatabase, closeDatabase } = await import("@/lib/db/client");
const { startVerifierRuntime } = await import("@/lib/verify/runtime");
const { VERIFY_PATH, isVerifyPath } = await import("@/lib/verify/handler");

const db = await getDatabase();
const verifier = await startVerifierRuntime(db.prisma);
const port = Number(process.env.VERIFIER_PORT ?? 3001);
const server = createServer((req, res) => {
  if (isVerifyPath(req.url)) return void verifier.handle(req, res);
  res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not_found"}');
});
server.keepAliveTimeout = 65_000;
server.listen(port, process.env.HOST, () => console.log(`Keyport verifier on http://localhost:${port}${VERIFY_PATH}`));
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, async () => {
    server.close();
    await verifier.stop();
    await closeDatabase();
    process.exit(0);
  });
}
