import { localSecret } from "@/lib/paths";
import { env, isProduction } from "@/lib/env";

/** AUTH_SECRET, or outside production one generated once and kept in .data/ (never committed). */
export function authSecret(): string {
  const fromEnv = env().AUTH_SECRET;
  if (fromEnv) return fromEnv;
  if (isProduction()) throw new Error("AUTH_SECRET is required in production");
  return (process.env.AUTH_SECRET = localSecret("auth-secret"));
}
