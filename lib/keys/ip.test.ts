import { describe, expect, it } from "vitest";
import { cidrContains, ipAllowed, parseCidr, parseIp } from "./ip";

const c = (s: string) => parseCidr(s)!;
const ip = (s: string) => parseIp(s)!;

describe("IP allow-list entries", () => {
  it.each([
    "203.0.113.7",
    "10.0.0.0/8",
    "0.0.0.0/0",
    "2001:db8::/32",
    "::1",
    "fe80::1%eth0".replace("%eth0", ""),
    "::ffff:192.0.2.1",
    "2001:0db8:0000:0000:0000:ff00:0042:8329",
    "::",
  ])("accepts %s", (s) => expect(parseCidr(s)).not.toBeNull());
  it.each([
    "",
    "1.2.3",
    "1.2.3.4.5",
    "256.1.1.1",
    "01.2.3.4",
    "1.2.3.4/33",
    "2001:db8::/129",
    "1.2.3.4/",
    "1.2.3.4/-1",
    "abc",
    "1::2::3",
    "12345::",
    "10.0.0.0/8/8",
    "::ffff:999.0.0.1",
    "1:2:3:4:5:6:7:8:9",
    "javascript:alert(1)",
  ])("rejects %j", (s) => expect(parseCidr(s)).toBeNull());
});

describe("matching", () => {
  it("IPv4 CIDR", () => {
    expect(cidrContains(c("10.0.0.0/8"), ip("10.255.1.2"))).toBe(true);
    expect(cidrContains(c("10.0.0.0/8"), ip("11.0.0.1"))).toBe(false);
    expect(cidrContains(c("192.168.1.128/25"), ip("192.168.1.200"))).toBe(true);
    expect(cidrContains(c("192.168.1.128/25"), ip("192.168.1.100"))).toBe(false);
  });
  it("single addresses", () => {
    expect(cidrContains(c("203.0.113.7"), ip("203.0.113.7"))).toBe(true);
    expect(cidrContains(c("203.0.113.7"), ip("203.0.113.8"))).toBe(false);
  });
  it("IPv6 CIDR and compressed forms", () => {
    expect(cidrContains(c("2001:db8::/32"), ip("2001:db8:ffff::1"))).toBe(true);
    expect(cidrContains(c("2001:db8::/32"), ip("2001:db9::1"))).toBe(false);
    expect(cidrContains(c("::1"), ip("0:0:0:0:0:0:0:1"))).toBe(true);
  });
  it("an IPv4-mapped IPv6 address matches its IPv4 range", () => {
    expect(cidrContains(c("192.0.2.0/24"), ip("::ffff:192.0.2.1"))).toBe(true);
  });
  it("an IPv4 range never matches an unrelated IPv6 address", () => {
    expect(cidrContains(c("0.0.0.0/0"), ip("2001:db8::1"))).toBe(false);
  });
  it("an empty list allows any address; a list refuses an unknown address", () => {
    expect(ipAllowed([], ip("1.1.1.1"))).toBe(true);
    expect(ipAllowed([c("10.0.0.0/8")], null)).toBe(false);
  });
});
