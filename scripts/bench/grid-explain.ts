// Part of npm run bench:grid (after its timings, the server stopped): EXPLAIN (ANALYZE, BUFFERS) of
// every statement the Developers tab's grid runs for the four pages the bench times, as the app
// runs them: the statements are captured from pg while lib/data/keys.ts lists the keys, then each is
// explained with its own parameters on the same database.
//   node --import tsx --import ./lib/server/register.mjs scripts/bench/grid-explain.ts <merchantId> <N> <access-key prefix>
import pg from "pg";
import { startAppDatabase } from "@/lib/db/engine";
import { setDatabase } from "@/lib/db/client";
import { listKeys, parseKeyQuery } from "@/lib/data/keys";

const [merchantId, n, prefix] = process.argv.slice(2);
const captured: { text: string; values: unknown[] }[] = [];
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const [c, v] = args as [unknown, unknown];
  const text = typeof c === "string" ? c : (c as { text?: string })?.text;
  const values = typeof c === "string" ? v : (c as { values?: unknown[] })?.values;
  if (text && /^\s*SELECT/i.test(text) && /api_keys|key_counts|credentials/.test(text))
    captured.push({ text, values: (values as unknown[]) ?? [] });
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

const engine = await startAppDatabase(() => {});
setDatabase(Promise.resolve(engine.database));
const pages: Record<string, Record<string, string>> = {
  "first page": {},
  "filtered page": { env: "production", channel: "REST", q: "Bench key 00", page: "2" },
  "last page": { page: String(Math.ceil(Number(n) / 25)) },
  "search by access-key prefix": { q: prefix },
};
for (const [label, sp] of Object.entries(pages)) {
  captured.length = 0;
  await listKeys(merchantId, "ADMIN", parseKeyQuery(sp));
  const statements = [...captured];
  console.log(`\n=== ${label} (${statements.length} statements)`);
  for (const s of statements) {
    const client = await engine.database.pool.connect();
    try {
      const plan = (await query.call(client, `EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, s.values)) as { rows: { "QUERY PLAN": string }[] };
      console.log(`--- ${s.text.replace(/\s+/g, " ").slice(0, 160)}…`);
      for (const r of plan.rows) console.log(`    ${r["QUERY PLAN"]}`);
    } finally {
      client.release();
    }
  }
}
await engine.shutdown();
process.exit(0);
