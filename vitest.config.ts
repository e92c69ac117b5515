import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: root },
      // `server-only` throws outside React Server bundles; tests run lib/ directly.
      { find: /^server-only$/, replacement: `${root}lib/testing/empty.ts` },
    ],
  },
  test: {
    environment: "node",
    include: ["lib/**/*.test.ts", "prisma/**/*.test.ts", "emails/**/*.test.tsx", "security/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Both cores: most test files wait on PostgreSQL, which runs in processes of its own.
    maxWorkers: 2,
    // One PostgreSQL server per run; every test file clones a migrated template database.
    globalSetup: ["lib/testing/global-setup.ts"],
  },
});
