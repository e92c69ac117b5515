import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { env } from "@/lib/env";

// Runtime paths, resolved from the working directory when called (never at build time; the
// comments keep Next's tracer from copying the whole project into the build).
export const projectDir = () => resolve(/*turbopackIgnore: true*/ process.cwd());
export const dataDir = () => resolve(/*turbopackIgnore: true*/ projectDir(), env().KEYPORT_DATA_DIR ?? ".data");
export const dataPath = (...parts: string[]) => join(/*turbopackIgnore: true*/ dataDir(), ...parts);
export const migrationsDir = () => join(/*turbopackIgnore: true*/ projectDir(), "prisma", "migrations");

/**
 * A development secret kept under .data/ (created on first use, readable only by its owner).
 * Production passes the value through the environment instead.
 */
export function localSecret(name: string, bytes = 32): string {
  const file = dataPath(name);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(bytes).toString("base64"), { mode: 0o600, flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err; // another process won the race
    }
  }
  return readFileSync(file, "utf8").trim();
}
