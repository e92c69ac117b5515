// Response headers every answer carries, the page CSP, and the same-origin rule for writes.
// Shared by the project's server (all responses) and proxy.ts (pages, where the CSP nonce is set).

import { env, isProduction } from "@/lib/env";

/** Headers for every response, whatever produced it. */
export function baseSecurityHeaders(): Record<string, string> {
  const h: Record<string, string> = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "cross-origin-opener-policy": "same-origin",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
  };
  if (isProduction()) h["strict-transport-security"] = "max-age=63072000; includeSubDomains";
  return h;
}

/** The page CSP: scripts only with this request's nonce (and what they load), no plugins, no framing. */
export function contentSecurityPolicy(nonce: string, dev = env().NODE_ENV !== "production"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(isProduction() ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state-changing request must come from this site: an Origin header naming this host (or one
 * listed in KEYPORT_ALLOWED_ORIGINS / APP_URL), and no Sec-Fetch-Site saying cross-site. A missing
 * or "null" Origin is refused too. Returns the reason to refuse, or null.
 */
export function crossOriginReason(method: string | undefined, headers: Record<string, string | string[] | undefined>): string | null {
  if (SAFE_METHODS.has((method ?? "GET").toUpperCase())) return null;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const origin = one(headers.origin);
  const host = one(headers.host);
  const site = one(headers["sec-fetch-site"]);
  if (site && site !== "same-origin" && site !== "none") return `Sec-Fetch-Site: ${site}`;
  if (!origin || origin === "null") return "missing Origin";
  const allowed = [env().APP_URL, ...env().KEYPORT_ALLOWED_ORIGINS].map((s) => s?.trim().replace(/\/$/, "")).filter(Boolean);
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return "malformed Origin";
  }
  if (host && originHost === host) return null;
  if (allowed.includes(origin.replace(/\/$/, ""))) return null;
  return `Origin ${origin} is not this site`;
}

/**
 * The management API authenticates with `Authorization: Bearer kpm_…` only, and GitHub's secret
 * scanning reports with a signature; neither reads a cookie, so a cross-site request cannot act
 * with someone's session: the same-origin rule does not apply there (CI and GitHub call them with
 * no Origin). A server-action POST is never exempt.
 */
export function isBearerOnlyApi(url: string | undefined, headers: Record<string, string | string[] | undefined>): boolean {
  const path = (url ?? "").split("?")[0];
  // A path that could be normalised elsewhere (dot segments, escapes, doubled or back slashes) is never exempt.
  if (/\.\.|%|\\|\/\//.test(path)) return false;
  return (
    (/^\/api\/v1\/merchants\/[^/]+\/(keys|audit-events)(\/|$)/.test(path) || path === "/api/v1/secret-scanning/github") &&
    headers["next-action"] === undefined
  );
}

/** Responses that may hold a secret, a TOTP seed or a recovery code are never stored by caches. */
export const NO_STORE = "no-store, max-age=0";
export const isStaticAsset = (url: string | undefined) =>
  !!url && (url.startsWith("/_next/static/") || url === "/icon.svg" || url === "/favicon.ico");
