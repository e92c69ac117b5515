// What would be published: `npm pack` of packages/verify, installed into an empty directory and
// imported by plain node (no TypeScript, no bundler, no dependency of its own).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const pkgDir = join(process.cwd(), "packages/verify");
const work = mkdtempSync(join(tmpdir(), "keyport-verify-pack-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("@keyport/verify as published", () => {
  it("packs JavaScript with types and no dependencies, and plain node imports the tarball", () => {
    const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: pkgDir, encoding: "utf8" })) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed.files.map((f) => f.path).sort();
    expect(files).toContain("dist/index.js");
    expect(files).toContain("dist/index.d.ts");
    expect(files).toContain("README.md");
    expect(files.filter((f) => f.startsWith("src/") || f.endsWith(".test.ts"))).toEqual([]);
    const target = join(work, "app", "node_modules", "@keyport", "verify");
    mkdirSync(target, { recursive: true });
    execFileSync("tar", ["-xzf", join(work, packed.filename), "-C", target, "--strip-components=1"]);
    const manifest = JSON.parse(readFileSync(join(target, "package.json"), "utf8"));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.type).toBe("module");
    expect(existsSync(join(target, "dist", "verifier.d.ts"))).toBe(true);
    const out = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import * as m from "@keyport/verify";
         const v = m.createVerifier({ url: "http://127.0.0.1:9", token: "kpm_x", cache: { max: 2 } });
         const r = await v.verify("kp_test_not_a_key");
         await v.close();
         console.log(JSON.stringify({ exports: Object.keys(m).sort(), outcome: r.outcome }));`,
      ],
      { cwd: join(work, "app"), encoding: "utf8" },
    );
    expect(JSON.parse(out)).toEqual({
      exports: [
        "KeyportTokenError",
        "KeyportUnavailableError",
        "createVerifier",
        "credentialsOf",
        "keyport",
        "keyportHono",
        "verifyRequest",
        "withKeyport",
      ],
      outcome: "MALFORMED",
    });
  });

  it("is importable by plain node at the repository root after npm install (the workspace link)", () => {
    const out = execFileSync(
      process.execPath,
      ["--input-type=module", "-e", `import { createVerifier } from "@keyport/verify"; console.log(typeof createVerifier);`],
      {
        cwd: process.cwd(),
        encoding: "utf8",
      },
    );
    expect(out.trim()).toBe("function");
  });
});
