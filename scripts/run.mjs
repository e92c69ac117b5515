// `node scripts/run.mjs lib/server/main.ts` (what `npm start` ends in) and
// `node scripts/run.mjs lib/server/verifier-main.ts` (`npm run start:verifier`): a server entry
// run on plain Node. Its TypeScript is bundled first by esbuild (about 0.1–0.3 s), with the
// packages left to node_modules, into node_modules/.cache/keyport/. Run through tsx instead, a
// process carried tsx's module-loader thread, a V8 isolate of its own: about 36 MB more RSS
// (measured with `npm run bench:memory`). The workers of VERIFIER_WORKERS=N run the bundle their
// primary built. NODE_OPTIONS=--enable-source-maps gives stack traces by TypeScript file and line.
import cluster from "node:cluster";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("..", import.meta.url).pathname;
const outDir = join(root, "node_modules", ".cache", "keyport");
const outFileOf = (entry) => join(outDir, `${basename(entry).replace(/\.ts$/, "")}.mjs`);

/**
 * Bundles `entry` (a path from the project root) and returns the bundle's path. Each file is
 * written under a name of its own, then renamed: a process starting beside this one never reads
 * half a file.
 */
export async function bundle(entry) {
  const { build } = await import("esbuild");
  const outfile = outFileOf(entry);
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    write: false,
    outfile,
    sourcemap: "linked",
    logLevel: "warning",
    // The server-only hook that tsx runs need not be registered: `server-only` is resolved here.
    define: { "process.env.KEYPORT_BUNDLED": '"1"' },
    plugins: [
      {
        name: "server-only",
        setup(b) {
          b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
          b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "" }));
        },
      },
    ],
  });
  mkdirSync(outDir, { recursive: true });
  for (const file of result.outputFiles) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  return outfile;
}

/**
 * The environment a server process starts with: `env` with at most two glibc malloc arenas
 * (MALLOC_ARENA_MAX=2) unless the operator chose otherwise. glibc gives each thread that
 * allocates an arena of its own, up to 8 per core; the portal's threads (V8's compiler and GC
 * helpers, libuv's pool, the password worker) held 15 of them after the e2e suite, and its RSS
 * at the suite's end went from 416 to 404 MB with two. glibc reads it once, at start, so `npm start` and
 * `npm run start:verifier` set it in package.json and whatever spawns a server passes this.
 */
export const serverEnv = (env = process.env) => ({ ...env, MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? "2" });

/** Bundles `entry` (in a cluster's primary only) and runs it in this process. */
export async function run(entry) {
  const file = cluster.isPrimary ? await bundle(entry) : outFileOf(entry);
  await import(pathToFileURL(file).href);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const entry = process.argv[2];
  if (!entry?.endsWith(".ts")) {
    console.error("Usage: node scripts/run.mjs <entry>.ts");
    process.exit(2);
  }
  process.chdir(root);
  await run(entry);
}
