import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";

describe("the generated Prisma client", () => {
  it("loads the size-optimised query compiler (about 50 MB less RSS in the portal than the fast build)", () => {
    const client = readFileSync(new URL("../generated/prisma/internal/class.ts", import.meta.url), "utf8");
    expect(client).toContain("query_compiler_small_bg.postgresql.wasm-base64.mjs");
    expect(client).not.toContain("query_compiler_fast_bg");
  });
});
