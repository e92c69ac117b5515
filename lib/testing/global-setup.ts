// Vitest global setup: one PostgreSQL server for the whole run (the embedded one, or the server
// named by TEST_DATABASE_URL) and one migrated template database that every test file clones.
import { mkdtempSync, rmSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrate } from "@/lib/db/migrate";
import { startEmbeddedPostgres, type EmbeddedServer } from "@/lib/db/embedded-server";
import { withDatabase } from "./url";

import "./global-setup-types";

export default async function setup(project: TestProject) {
  let server: EmbeddedServer | undefined;
  let dir: string | undefined;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    dir = mkdtempSync(join(tmpdir(), "keyport-vitest-"));
    chmodSync(dir, 0o711);
    // Throw-away data: durability off, for speed.
    server = await startEmbeddedPostgres({
      dataDir: join(dir, "postgres"),
      urlFile: join(dir, "postgres.json"),
      settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off", max_connections: "300" },
    });
    serverUrl = server.url;
  }
  const template = `keyport_template_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  const conn = new pg.Client({ connectionString: withDatabase(serverUrl, template) });
  await conn.connect();
  await migrate({
    exec: async (sql) => void (await conn.query(sql)),
    query: async (sql, params) => (await conn.query(sql, params as unknown[])).rows,
  });
  await conn.end(); // a template must have no connections while it is cloned
  project.provide("testDatabase", { serverUrl, template });

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => {});
    await admin.end();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
