// `npm run start:verifier`: the verification API alone (lib/server/verifier-main.ts), run on plain
// Node. The TypeScript is bundled first by esbuild (tsx's own dependency: about 0.1 s), with the
// packages left to node_modules, into node_modules/.cache/keyport/. Run through tsx instead, the
// process carried tsx's module-loader thread, a V8 isolate of its own: about 36 MB more RSS
// (measured with `npm run bench:memory`), for a process whose budget is 150 MB at 100,000 keys.
// VERIFIER_WORKERS=N: the workers run the bundle the primary built.
import cluster from "node:cluster";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("..", import.meta.url).pathname;
const outDir = join(root, "node_modules", ".cache", "keyport");
const outFile = join(outDir, "verifier.mjs");

/** Bundles the verifier; written under a name of its own, then renamed: a process starting beside this one never reads half a file. */
export async function buildVerifier() {
  const { build } = await import("esbuild");
  const result = await build({
    absWorkingDir: root,
    entryPoints: ["lib/server/verifier-main.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    write: false,
    outfile: outFile,
    // Beside the bundle, for NODE_OPTIONS=--enable-source-maps (stack traces by TypeScript file and line).
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
  return outFile;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (cluster.isPrimary) await buildVerifier();
  await import(pathToFileURL(outFile).href);
}
