import { afterEach, describe, expect, it } from "vitest";
import type { IncomingMessage } from "node:http";
import { clientAddress, dropUntrustedForwarding, reloadTrustedProxies } from "./client-ip";

const req = (remoteAddress: string, headers: Record<string, string>) =>
  ({ socket: { remoteAddress }, headers: { ...headers } }) as unknown as IncomingMessage;
const forwarded = {
  "x-forwarded-host": "evil.test",
  "x-forwarded-proto": "https",
  forwarded: "host=evil.test",
  "x-forwarded-for": "198.51.100.7",
};

afterEach(() => {
  delete process.env.TRUSTED_PROXIES;
  reloadTrustedProxies();
});

describe("forwarding headers", () => {
  it("are dropped when the peer is not a trusted proxy, so Next and Auth.js never build URLs from them", () => {
    const r = req("203.0.113.9", forwarded);
    dropUntrustedForwarding(r);
    expect(r.headers["x-forwarded-host"]).toBeUndefined();
    expect(r.headers["x-forwarded-proto"]).toBeUndefined();
    expect(r.headers.forwarded).toBeUndefined();
    expect(clientAddress(r)).toBe("203.0.113.9");
  });

  it("are kept from a proxy named in TRUSTED_PROXIES, whose X-Forwarded-For names the client", () => {
    process.env.TRUSTED_PROXIES = "10.0.0.0/8";
    reloadTrustedProxies();
    const r = req("10.1.2.3", forwarded);
    dropUntrustedForwarding(r);
    expect(r.headers["x-forwarded-host"]).toBe("evil.test");
    expect(clientAddress(r)).toBe("198.51.100.7");
  });
});
