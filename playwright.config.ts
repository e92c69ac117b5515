import { defineConfig, devices } from "@playwright/test";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The app under test runs from the production build on a fresh, throw-away data directory, so
// every run starts from the demo seed. Workers inherit the directory through the environment.
process.env.KEYPORT_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), "keyport-e2e-"));
const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://127.0.0.1:${port}`;

const LONG = [
  "**/security-verify.spec.ts",
  "**/webhooks.spec.ts",
  "**/portal.spec.ts",
  "**/sudo.spec.ts",
  "**/passkeys.spec.ts",
  "**/verify.spec.ts",
];
const browser = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    // `npm test` resolves the browser (scripts/chromium.mjs) and passes it down.
    executablePath: process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : "/tmp/chromium"),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  },
};

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  // Generous: the app refuses a replayed time step, so a test's owner has three unspent 30-second
  // steps at a time (e2e/otp.ts), and a test that needs more codes waits for the next step.
  timeout: 300_000,
  expect: { timeout: 7_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    permissions: ["clipboard-read", "clipboard-write"],
  },
  // The specs with the longest tests are dispatched first, so that neither worker is left alone
  // with one at the end of the run (Playwright keeps the projects' order, then the files').
  projects: [
    { name: "chromium (long)", testMatch: LONG, use: browser },
    { name: "chromium", testIgnore: LONG, use: browser },
  ],
  webServer: {
    command: "node e2e/server.mjs",
    url: `${baseURL}/login`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    // SIGTERM lets the app flush and stop its embedded PostgreSQL server.
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    // Webhooks: the specs' receivers listen on loopback, and retries wait a thousandth of the schedule.
    env: {
      PORT: String(port),
      KEYPORT_DATA_DIR: process.env.KEYPORT_E2E_DATA_DIR,
      HOST: "127.0.0.1",
      KEYPORT_WEBHOOKS_ALLOW_PRIVATE: "1",
      KEYPORT_WEBHOOK_BACKOFF_SCALE: "0.001",
      // GitHub's secret-scanning keys: e2e/leaks.spec.ts serves a test key pair's public key here.
      KEYPORT_GITHUB_KEYS_URL: `http://127.0.0.1:${port + 99}/meta/public_keys/secret_scanning`,
    },
  },
});
