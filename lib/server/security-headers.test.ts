import { afterEach, describe, expect, it } from "vitest";
import { baseSecurityHeaders, contentSecurityPolicy, crossOriginReason } from "./security-headers";

describe("same-origin rule for writes", () => {
  afterEach(() => {
    delete process.env.APP_URL;
    delete process.env.KEYPORT_ALLOWED_ORIGINS;
  });
  const host = { host: "portal.example.test" };
  it("lets reads through whatever their origin", () => {
    for (const m of ["GET", "HEAD", "OPTIONS", undefined]) expect(crossOriginReason(m, { origin: "https://evil.test" })).toBeNull();
  });
  it("accepts a write whose Origin is this host", () => {
    expect(crossOriginReason("POST", { ...host, origin: "https://portal.example.test", "sec-fetch-site": "same-origin" })).toBeNull();
  });
  it("refuses a missing, null, malformed or foreign Origin, and a cross-site fetch", () => {
    expect(crossOriginReason("POST", host)).toMatch(/missing/);
    expect(crossOriginReason("POST", { ...host, origin: "null" })).toMatch(/missing/);
    expect(crossOriginReason("DELETE", { ...host, origin: "::::" })).toMatch(/malformed/);
    expect(crossOriginReason("PUT", { ...host, origin: "https://portal.example.test.evil.test" })).toMatch(/not this site/);
    expect(crossOriginReason("POST", { ...host, origin: "https://portal.example.test", "sec-fetch-site": "cross-site" })).toMatch(
      /cross-site/,
    );
    expect(crossOriginReason("POST", { ...host, origin: "https://portal.example.test", "sec-fetch-site": "same-site" })).toMatch(
      /same-site/,
    );
  });
  it("accepts the configured public origin behind a proxy that rewrites Host", () => {
    process.env.APP_URL = "https://keys.example.test/";
    expect(crossOriginReason("POST", { host: "10.0.0.5:3000", origin: "https://keys.example.test" })).toBeNull();
    expect(crossOriginReason("POST", { host: "10.0.0.5:3000", origin: "https://other.example.test" })).not.toBeNull();
  });
});

describe("headers", () => {
  it("the CSP carries the nonce and forbids plugins, base rewriting and framing", () => {
    const csp = contentSecurityPolicy("abc123", false);
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    for (const d of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(csp).toContain(d);
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
  it("HSTS only in production; nosniff, referrer policy and COOP always", () => {
    expect(baseSecurityHeaders()["strict-transport-security"]).toBeUndefined();
    process.env.KEYPORT_ENV = "production";
    try {
      expect(baseSecurityHeaders()["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
    } finally {
      delete process.env.KEYPORT_ENV;
    }
    const h = baseSecurityHeaders();
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBeTruthy();
    expect(h["cross-origin-opener-policy"]).toBe("same-origin");
  });
});
