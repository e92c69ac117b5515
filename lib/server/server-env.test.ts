import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { serverEnv } from "@/scripts/run.mjs";

const scripts = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).scripts as Record<string, string>;

describe("server processes start with two malloc arenas", () => {
  it("serverEnv sets MALLOC_ARENA_MAX=2, and keeps an operator's own value", () => {
    const base = { NODE_ENV: "production", PORT: "1" } as const;
    expect(serverEnv(base)).toEqual({ ...base, MALLOC_ARENA_MAX: "2" });
    expect(serverEnv({ ...base, MALLOC_ARENA_MAX: "4" }).MALLOC_ARENA_MAX).toBe("4");
  });

  it.each(["start", "start:verifier"])("npm run %s sets it in the shell that starts node, unless it is set", (name) => {
    const command = scripts[name];
    expect(command).toMatch(/^MALLOC_ARENA_MAX=\$\{MALLOC_ARENA_MAX:-2\} node /);
    // What sh makes of the prefix, without and with an operator's value.
    const probe = command.replace(/ node .*$/, " sh -c 'echo \"$MALLOC_ARENA_MAX\"'");
    const env = { ...process.env };
    delete env.MALLOC_ARENA_MAX;
    expect(spawnSync("sh", ["-c", probe], { env, encoding: "utf8" }).stdout.trim()).toBe("2");
    expect(spawnSync("sh", ["-c", probe], { env: { ...env, MALLOC_ARENA_MAX: "8" }, encoding: "utf8" }).stdout.trim()).toBe("8");
  });
});
