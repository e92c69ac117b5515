import { z } from "zod";

// Every environment variable the app reads, parsed in one place. Values that were lenient before
// (a bad number falls back to its default) stay lenient; secrets are checked where they are used,
// with their own error messages. DATABASE_URL is read by lib/db itself.
const text = z
  .string()
  .trim()
  .transform((s) => s || undefined)
  .optional();
const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).catch(fallback).default(fallback);
const positive = z.coerce.number().int().positive().optional().catch(undefined);
const list = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? "")
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  );

export const envSchema = z.object({
  NODE_ENV: text,
  /** "production": no demo seed, no dev mailbox, required secrets, HSTS. */
  KEYPORT_ENV: text,
  /** "0": no demo data on first start. */
  KEYPORT_DEMO: text,
  KEYPORT_DATA_DIR: text,
  PORT: port(3000),
  HOST: text,
  VERIFIER_PORT: port(3001),
  VERIFIER_WORKERS: z.coerce.number().int().min(1).catch(1).default(1),
  /** Keys used in the last day read into a verifier's cache at start, before it says ready (0: none). */
  VERIFIER_PRELOAD_KEYS: z.coerce.number().int().min(0).max(1_000_000).catch(10_000).default(10_000),
  APP_URL: text,
  AUTH_URL: text,
  AUTH_SECRET: text,
  KEYPORT_ENCRYPTION_KEY: text,
  KEYPORT_ALLOWED_ORIGINS: list,
  TRUSTED_PROXIES: text,
  RESEND_API_KEY: text,
  MAIL_FROM: text,
  KEYPORT_MAX_BODY_BYTES: positive,
  KEYPORT_MAX_CONNECTIONS_PER_ADDRESS: positive,
  /** "1": webhook endpoints may be on loopback (development and tests only; ignored in production). */
  KEYPORT_WEBHOOKS_ALLOW_PRIVATE: text,
  /** Multiplies the webhook retry schedule, for tests (0.001 turns 5 min into 0.3 s); ignored in production. */
  KEYPORT_WEBHOOK_BACKOFF_SCALE: z.coerce.number().positive().max(1).optional().catch(undefined),
  /** Where GitHub's secret-scanning public keys are fetched from (lib/leaks/github-keys.ts). */
  KEYPORT_GITHUB_KEYS_URL: text,
  /** "json": JSON log lines outside production too (production always logs JSON). */
  KEYPORT_LOG_FORMAT: text,
  KEYPORT_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).catch("info").default("info"),
  /** Turns on GET /metrics, answered only with `Authorization: Bearer <this token>`. */
  KEYPORT_METRICS_TOKEN: text,
  /** "1": this instance's secrets replace the fingerprints other instances are compared with. */
  KEYPORT_REPLACE_SECRETS: text,
  /** How long a SIGTERM waits for requests in flight before closing, ms (default 10 s). */
  KEYPORT_DRAIN_MS: positive,
  /** A file: the server appends its event-loop delay and GC pauses there every second (benchmarks). */
  KEYPORT_LOOP_PROBE: text,
});
export type Env = z.output<typeof envSchema>;
const KEYS = Object.keys(envSchema.shape) as (keyof Env)[];

let cached: { raw: (string | undefined)[]; env: Env } | undefined;

/**
 * The parsed environment. Parsed once; parsed again only if the process's variables change
 * (tests set them), which one look-up of each raw value detects.
 */
export function env(source: Record<string, string | undefined> = process.env): Env {
  const own = source === process.env;
  if (own && cached && KEYS.every((k, i) => source[k] === cached!.raw[i])) return cached.env;
  const raw = KEYS.map((k) => source[k]);
  const parsed = envSchema.parse(Object.fromEntries(KEYS.map((k, i) => [k, raw[i]])));
  if (own) cached = { raw, env: parsed };
  return parsed;
}

/** KEYPORT_ENV=production: no demo seed, no dev mailbox, required secrets, HSTS. */
export const isProduction = () => env().KEYPORT_ENV === "production";
