import { Writable } from "node:stream";
import pino, { type Logger } from "pino";
import { env, isProduction } from "@/lib/env";

// The process's logger (pino): JSON lines in production (KEYPORT_ENV=production, or
// KEYPORT_LOG_FORMAT=json), one readable line per entry elsewhere. One instance per process, on
// globalThis: the project's server and Next.js's bundle load their own copies of this module.
// Secrets never belong in a log entry; the usual places one could slip in are redacted anyway,
// and the e2e leak scan reads the whole server log.

const KEY = Symbol.for("keyport.log");
type Holder = { [KEY]?: Logger };

const REDACT = ["secret", "password", "token", "otp", "authorization", "cookie", "key"].flatMap((k) => [k, `*.${k}`, `*.headers.${k}`]);

const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };
const OWN = new Set(["level", "time", "msg", "pid", "hostname"]);

/** Development output: `12:34:56.789 INFO  message key=value …`, errors with their message. */
function readable(out: NodeJS.WritableStream) {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line) continue;
        try {
          const e = JSON.parse(line) as Record<string, unknown>;
          const time = new Date(e.time as number).toISOString().slice(11, 23);
          const extra = Object.entries(e)
            .filter(([k]) => !OWN.has(k))
            .map(([k, v]) => `${k}=${typeof v === "object" && v !== null ? JSON.stringify(v) : v}`)
            .join(" ");
          out.write(`${time} ${(LEVELS[e.level as number] ?? "INFO").padEnd(5)} ${e.msg ?? ""}${extra ? ` ${extra}` : ""}\n`);
        } catch {
          out.write(`${line}\n`);
        }
      }
      done();
    },
  });
}

/** A logger writing JSON lines, or readable lines, to `out` (stdout for the process's own). */
export function createLogger(json: boolean, out: NodeJS.WritableStream = process.stdout): Logger {
  const options: pino.LoggerOptions = {
    level: env().KEYPORT_LOG_LEVEL,
    base: { pid: process.pid },
    redact: { paths: REDACT, censor: "[redacted]" },
    serializers: { err: pino.stdSerializers.err },
  };
  if (!json) return pino(options, readable(out));
  return pino(options, out === process.stdout ? pino.destination({ fd: 1, sync: true }) : out);
}

/** The process's logger. */
export function logger(): Logger {
  const g = globalThis as Holder;
  return (g[KEY] ??= createLogger(isProduction() || env().KEYPORT_LOG_FORMAT === "json"));
}

/** A request id from a caller (a proxy's X-Request-Id) when it is a plain token, else null. */
export const incomingRequestId = (v: string | string[] | undefined) =>
  typeof v === "string" && /^[A-Za-z0-9._-]{8,64}$/.test(v) ? v : null;

/** The message of anything thrown, without its stack or its own fields (which may hold input). */
export const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
