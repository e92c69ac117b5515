import { describe, expect, it } from "vitest";
import { displayStatus } from "./rules";
import { extendOptions, extensionError, latestExtension } from "./rotation";

const H = 3600_000;
const at = (h: number) => new Date(Date.UTC(2026, 0, 1) + h * H);

describe("displayStatus", () => {
  it("is the stored status until expires-at, then Expired; a revoked key stays Revoked", () => {
    expect(displayStatus({ status: "ENABLED", expiresAt: at(10) }, at(9))).toBe("ENABLED");
    expect(displayStatus({ status: "ENABLED", expiresAt: at(10) }, at(10))).toBe("EXPIRED");
    expect(displayStatus({ status: "DISABLED", expiresAt: at(10) }, at(11))).toBe("EXPIRED");
    expect(displayStatus({ status: "REVOKED", expiresAt: at(10) }, at(11))).toBe("REVOKED");
  });
});

describe("extendOptions", () => {
  const prev = { rotatedAt: at(0), expiresAt: at(1), graceExtended: false };
  const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

  it("offers 1, 2, 3 and 7 days after the rotation while the window is open", () => {
    expect(iso(extendOptions(prev, at(0.5), at(1000)))).toEqual(iso([at(24), at(48), at(72), at(168)]));
    expect(latestExtension(prev)).toEqual(at(168));
  });

  it("offers only ends later than the current one and not past the key's expiry", () => {
    expect(iso(extendOptions({ ...prev, expiresAt: at(30) }, at(2), at(60)))).toEqual(iso([at(48)]));
  });

  it("offers nothing once extended, once closed, or without a rotation time", () => {
    expect(extendOptions({ ...prev, graceExtended: true }, at(0.5), at(1000))).toEqual([]);
    expect(extendOptions(prev, at(1), at(1000))).toEqual([]);
    expect(extendOptions({ ...prev, rotatedAt: null }, at(0.5), at(1000))).toEqual([]);
    expect(extendOptions(null, at(0.5), at(1000))).toEqual([]);
  });

  it("offers exactly what the server's extension rule accepts", () => {
    const offered = extendOptions(prev, at(0.5), at(100));
    expect(offered).toHaveLength(3); // 1, 2 and 3 days; 7 days would pass the key's expiry (at 100 h)
    for (const until of offered) expect(extensionError(prev, until, at(0.5), at(100))).toBeNull();
    // And the rule refuses what is never offered: past 7 days after the rotation.
    expect(extensionError(prev, at(169), at(0.5), at(1000))).not.toBeNull();
  });
});
