// npm run bench:revoke — how long a lifecycle change takes to reach a verifier in another process.
// Starts the embedded server and `start:verifier` (its own process, LISTENing), creates keys,
// warms the verifier's cache with each, then disables them one at a time through the service and
// polls the verifier until it refuses the key: the delay is from the change's commit to the first
// refusal. Loopback only.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, defaultDatabaseUrl } from "@/lib/db/client";
import { disableKey } from "@/lib/keys/services/change-key-status";
import { createActor, createKey } from "@/prisma/factories";
// @ts-expect-error -- a plain .mjs helper shared with the .mjs benchmarks
import { startEmbeddedDb } from "./embedded.mjs";

const N = Number(process.env.BENCH_KEYS ?? 200);
const PORT = 3320;
const root = new URL("../..", import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), "keyport-bench-revoke-"));
process.env.KEYPORT_DATA_DIR = dataDir;
const env: NodeJS.ProcessEnv = { ...process.env, KEYPORT_DATA_DIR: dataDir, VERIFIER_PORT: String(PORT), HOST: "127.0.0.1" };
delete env.DATABASE_URL;
delete process.env.DATABASE_URL;

const children: import("node:child_process").ChildProcess[] = [await startEmbeddedDb(root, env)];
const stopAll = async () => {
  for (const c of children.reverse()) {
    try {
      process.kill(-c.pid!, "SIGTERM");
    } catch {}
    await new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)));
  }
  rmSync(dataDir, { recursive: true, force: true });
};
try {
  const db = await openDatabase(defaultDatabaseUrl().url);
  const actor = await createActor(db.prisma, "OWNER");
  const keys = [];
  for (let i = 0; i < N; i++) keys.push(await createKey(db.prisma, { merchantId: actor.merchantId, environment: "production" }));

  children.push(
    spawn(process.execPath, ["--import", "tsx", "lib/server/verifier-main.ts"], { cwd: root, env, stdio: "ignore", detached: true }),
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const verify = (key: string) =>
    new Promise<string>((resolve, reject) => {
      const body = JSON.stringify({ key });
      const req = http.request(
        {
          host: "127.0.0.1",
          port: PORT,
          path: "/api/v1/keys/verify",
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          let text = "";
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve(JSON.parse(text).outcome));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  for (let i = 0; ; i++) {
    try {
      await verify(keys[0].secret);
      break;
    } catch {
      if (i > 200) throw new Error("the verifier did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  for (const k of keys) if ((await verify(k.secret)) !== "VALID") throw new Error("a fresh key did not verify");

  const delays: number[] = [];
  for (const k of keys) {
    await disableKey(db.prisma, actor, k.key.id);
    const committed = performance.now();
    while ((await verify(k.secret)) === "VALID") {
      /* poll as fast as one connection allows */
    }
    delays.push(performance.now() - committed);
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20)); // spread over poll phases
  }
  delays.sort((a, b) => a - b);
  const q = (p: number) => delays[Math.min(delays.length - 1, Math.floor(p * delays.length))].toFixed(1);
  console.log(
    `Revocation delay, commit -> first refusal by a verifier in another process (${N} keys, LISTEN/NOTIFY with a 1 s poll fallback):`,
  );
  console.log(
    `  p50 ${q(0.5)} ms   p90 ${q(0.9)} ms   p99 ${q(0.99)} ms   max ${delays[delays.length - 1].toFixed(1)} ms   (target p99 <= 50 ms)`,
  );
  await db.close();
} finally {
  await stopAll();
}
process.exit(0);
