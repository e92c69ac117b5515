// npm run bench:revoke — how long a lifecycle change takes to reach verifiers in other processes.
// Starts the embedded server and two `start:verifier` processes (LISTENing), creates keys,
// warms both caches with each, then disables them one at a time through the service and
// polls both until they refuse the key: the delay is from the change's commit to each first
// refusal. Then the same with `VERIFIER_WORKERS=2` (node:cluster): 2,000 requests at about
// 1,000/s, each on a new connection so both workers answer, with a disable a quarter of a second in
// and a revoke a quarter of a second later; it prints the last VALID answer relative to the
// disable's answer, and counts the answers after each change's answer + 1 s that still show the
// state before it (target: none).
// Loopback only.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, defaultDatabaseUrl } from "@/lib/db/client";
import { disableKey, revokeKey } from "@/lib/keys/services/change-key-status";
import { createActor, createKey } from "@/prisma/factories";
// @ts-expect-error -- a plain .mjs helper shared with the .mjs benchmarks
import { startEmbeddedDb } from "./embedded.mjs";
import { serverEnv } from "../run.mjs";

const N = Number(process.env.BENCH_KEYS ?? 200);
const PORT = 3320;
const root = new URL("../..", import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), "keyport-bench-revoke-"));
process.env.KEYPORT_DATA_DIR = dataDir;
const env: NodeJS.ProcessEnv = serverEnv({ ...process.env, KEYPORT_DATA_DIR: dataDir, VERIFIER_PORT: String(PORT), HOST: "127.0.0.1" });
delete env.DATABASE_URL;
delete process.env.DATABASE_URL;

/** One verification on `port`, over `agent` (false: a connection of its own); resolves with the outcome. */
function verifyAt(port: number, key: string, agent: http.Agent | false) {
  return new Promise<string>((resolve, reject) => {
    const body = JSON.stringify({ key });
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
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
}

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

  // Three processes: this one writes the changes (as a portal instance would), two verifiers read them.
  const PORTS = [PORT, PORT + 2];
  for (const port of PORTS)
    children.push(
      spawn(process.execPath, ["scripts/run.mjs", "lib/server/verifier-main.ts"], {
        cwd: root,
        env: { ...env, VERIFIER_PORT: String(port) },
        stdio: "ignore",
        detached: true,
      }),
    );
  const agents = PORTS.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const verifyOn = (i: number, key: string) => verifyAt(PORTS[i], key, agents[i]);
  for (const i of PORTS.keys())
    for (let n = 0; ; n++) {
      try {
        await verifyOn(i, keys[0].secret);
        break;
      } catch {
        if (n > 300) throw new Error("a verifier did not start");
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  for (const k of keys)
    for (const i of PORTS.keys()) if ((await verifyOn(i, k.secret)) !== "VALID") throw new Error("a fresh key did not verify");

  const delays: number[][] = PORTS.map(() => []);
  for (const k of keys) {
    await disableKey(db.prisma, actor, k.key.id);
    const committed = performance.now();
    await Promise.all(
      PORTS.map(async (_, i) => {
        while ((await verifyOn(i, k.secret)) === "VALID") {
          /* poll as fast as one connection allows */
        }
        delays[i].push(performance.now() - committed);
      }),
    );
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20)); // spread over poll phases
  }
  const worst = keys.map((_, j) => Math.max(...delays.map((d) => d[j])));
  const line = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1);
    return `p50 ${q(0.5)} ms   p90 ${q(0.9)} ms   p99 ${q(0.99)} ms   max ${sorted[sorted.length - 1].toFixed(1)} ms`;
  };
  console.log(
    `Revocation delay, commit in this process -> first refusal by each of two verifier processes (${N} keys, LISTEN/NOTIFY with a 1 s poll fallback):`,
  );
  for (const i of PORTS.keys()) console.log(`  verifier ${i + 1}: ${line(delays[i])}`);
  console.log(`  both (the later of the two): ${line(worst)}   (target p99 <= 50 ms)`);

  // Two workers on one port.
  const WORKERS_PORT = PORT + 4;
  children.push(
    spawn(process.execPath, ["scripts/run.mjs", "lib/server/verifier-main.ts"], {
      cwd: root,
      env: { ...env, VERIFIER_PORT: String(WORKERS_PORT), VERIFIER_WORKERS: "2" },
      stdio: "ignore",
      detached: true,
    }),
  );
  // A connection each: the cluster hands connections to its workers in turn.
  const once = (key: string) => verifyAt(WORKERS_PORT, key, false);
  const target = await createKey(db.prisma, { merchantId: actor.merchantId, environment: "production" });
  for (let i = 0; ; i++) {
    try {
      if ((await once(target.secret)) === "VALID") break;
    } catch {
      if (i > 200) throw new Error("the workers did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  for (let i = 0; i < 40; i++) await once(target.secret); // both workers have it cached
  const answers: { at: number; outcome: string }[] = [];
  const start = performance.now();
  const sent: Promise<void>[] = [];
  // A key is revoked from Disabled (docs/design.md §4): the disable is the change that stops VALID.
  let disabledAt = 0;
  let revokedAt = 0;
  const changes = (async () => {
    await new Promise((r) => setTimeout(r, 250));
    await disableKey(db.prisma, actor, target.key.id);
    disabledAt = performance.now(); // the change's answer: its transaction has committed
    await new Promise((r) => setTimeout(r, 250));
    await revokeKey(db.prisma, actor, target.key.id);
    revokedAt = performance.now();
  })();
  for (let i = 0; i < 2000; i++) {
    const due = start + i; // 1,000 a second, on schedule
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sent.push(once(target.secret).then((outcome) => void answers.push({ at: performance.now(), outcome })));
  }
  await Promise.all([...sent, changes]);
  const valid = answers.filter((a) => a.outcome === "VALID");
  const lastValid = Math.max(...valid.map((a) => a.at));
  const afterDisable = answers.filter((a) => a.at > disabledAt + 1000);
  const afterRevoke = answers.filter((a) => a.at > revokedAt + 1000);
  const tally = answers.reduce<Record<string, number>>((t, a) => ((t[a.outcome] = (t[a.outcome] ?? 0) + 1), t), {});
  console.log(`VERIFIER_WORKERS=2, 2,000 requests at 1,000/s, a connection each (both workers answer): ${JSON.stringify(tally)}`);
  console.log(
    `  last VALID answer ${(lastValid - disabledAt).toFixed(1)} ms after the disable's answer; of the ${afterDisable.length} answers later than the disable's answer + 1 s, VALID: ${afterDisable.filter((a) => a.outcome === "VALID").length} (target 0); of the ${afterRevoke.length} later than the revoke's answer + 1 s, not REVOKED: ${afterRevoke.filter((a) => a.outcome !== "REVOKED").length} (target 0)`,
  );
  await db.close();
} finally {
  await stopAll();
}
process.exit(0);
