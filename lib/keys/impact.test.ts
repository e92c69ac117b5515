import { describe, expect, it } from "vitest";
import { impactWindowStart, RECENT_USE_MS, summariseImpact, timeAgo } from "./impact";

const now = new Date("2026-11-30T12:30:00.000Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const MIN = 60_000;

describe("impact preview", () => {
  it("totals the successful requests, lists refused ones apart, counts distinct addresses across buckets and names the latest use", () => {
    const p = summariseImpact(
      [
        { success: 400, failure: 2, clientIps: ["203.0.113.7", "198.51.100.1"] },
        { success: 10, failure: 0, clientIps: ["203.0.113.7", "192.0.2.44"] },
      ],
      [
        { at: ago(3 * 3600_000), clientIps: ["192.0.2.44"] },
        { at: ago(4 * MIN + 30_000), clientIps: ["203.0.113.7", "198.51.100.1"] },
      ],
      now,
    );
    expect(p).toMatchObject({ requests: 410, refused: 2, distinctIps: 3, lastIp: "203.0.113.7", recent: true });
    expect(p.text).toBe(
      "410 successful requests from 3 IP addresses in the last 7 days. Last used 4 minutes ago from 203.0.113.7. 2 refused requests in the last 7 days are not counted.",
    );
  });

  it("says so when there was no traffic, and never warns then", () => {
    const p = summariseImpact([], [{ at: null, clientIps: [] }], now);
    expect(p).toMatchObject({ requests: 0, distinctIps: 0, lastUsedAt: null, recent: false });
    expect(p.text).toBe("No successful requests in the last 7 days.");
    // Used once, long ago: outside the window the buckets cover, so no traffic either.
    expect(summariseImpact([], [{ at: ago(30 * 24 * 3600_000), clientIps: ["192.0.2.1"] }], now).text).toBe(
      "No successful requests in the last 7 days.",
    );
  });

  it("warns while the last use is less than 15 minutes old, not from 15 minutes on", () => {
    const bucket = [{ success: 1, failure: 0, clientIps: ["192.0.2.1"] }];
    expect(summariseImpact(bucket, [{ at: ago(RECENT_USE_MS - 1), clientIps: ["192.0.2.1"] }], now).recent).toBe(true);
    expect(summariseImpact(bucket, [{ at: ago(RECENT_USE_MS), clientIps: ["192.0.2.1"] }], now).recent).toBe(false);
    const p = summariseImpact(bucket, [{ at: ago(2 * 3600_000), clientIps: ["192.0.2.1"] }], now);
    expect(p.text).toBe("1 successful request from 1 IP address in the last 7 days. Last used 2 hours ago from 192.0.2.1.");
  });

  it("counts addresses as a lower bound once a bucket hit its cap, and leaves them out when none were recorded", () => {
    const many = Array.from({ length: 4 }, (_, i) => `192.0.2.${i}`);
    expect(summariseImpact([{ success: 9, failure: 0, clientIps: many }], [], now, 4).text).toBe(
      "9 successful requests from at least 4 IP addresses in the last 7 days.",
    );
    expect(summariseImpact([{ success: 2, failure: 1, clientIps: [] }], [{ at: ago(20_000), clientIps: [] }], now).text).toBe(
      "2 successful requests in the last 7 days. Last used less than a minute ago. 1 refused request in the last 7 days is not counted.",
    );
  });

  it("covers this hour and the 167 before it, and words times the way people read them", () => {
    expect(impactWindowStart(now).toISOString()).toBe("2026-11-23T13:00:00.000Z");
    expect(timeAgo(ago(MIN), now)).toBe("1 minute ago");
    expect(timeAgo(ago(47 * 3600_000), now)).toBe("47 hours ago");
    expect(timeAgo(ago(3 * 24 * 3600_000), now)).toBe("3 days ago");
  });
});
