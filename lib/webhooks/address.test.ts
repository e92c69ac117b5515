import { describe, expect, it } from "vitest";
import ipaddr from "ipaddr.js";
import { embeddedIpv4, isAllowedAddress } from "./address";
import { endpointUrlProblem, PRIVATE_ADDRESS } from "./url-safety";

const DEV = { production: false, allowLoopback: false };
const LOOPBACK_OK = { production: false, allowLoopback: true };

// Every form the third outside attack tried (and their relatives): each names a loopback, private,
// link-local or metadata IPv4 address inside an IPv6 one, or in an IPv4 spelling the URL parser
// rewrites. Save (the URL) and connection (the address) must refuse each.
const REFUSED_URLS = [
  "http://[::127.0.0.1]/",
  "http://[::7f00:1]/",
  "http://[0:0:0:0:0:0:7f00:1]/",
  "http://[::ffff:127.0.0.1]/",
  "http://[::ffff:7f00:1]/",
  "http://[0:0:0:0:0:ffff:127.0.0.1]/",
  "http://[::ffff:0:127.0.0.1]/",
  "http://[64:ff9b::127.0.0.1]/",
  "http://[64:ff9b::7f00:1]/",
  "http://[64:ff9b::10.0.0.1]/",
  "http://[64:ff9b::169.254.169.254]/",
  "http://[2002:7f00:1::]/",
  "http://[2002:a9fe:a9fe::1]/",
  "http://[2002:c0a8:0101::]/",
  "http://[::10.1.2.3]/",
  "http://[::169.254.169.254]/",
  "http://[::a9fe:a9fe]/",
  "http://[::192.168.0.1]/",
  "http://[::]/",
  "http://[::0.0.0.0]/",
  "http://[::1]/",
  "http://2130706433/",
  "http://0x7f.1/",
  "http://127.1/",
  "http://017700000001/",
  "http://0/",
  "http://[fe80::1]/",
  "http://[fc00::1]/",
  "http://[2001::7f00:1]/",
];

describe("one address rule for save and connection", () => {
  it.each(REFUSED_URLS)("refuses %s when the endpoint is saved", async (url) => {
    expect(await endpointUrlProblem(url, DEV)).toBe(PRIVATE_ADDRESS);
  });

  it.each(REFUSED_URLS)("refuses the address of %s at connection", (url) => {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    expect(isAllowedAddress(host, DEV)).toBe(false);
  });

  it("judges an IPv6 address that carries an IPv4 one by that IPv4 address", () => {
    expect(embeddedIpv4(ipaddr.IPv6.parse("::7f00:1"))?.toString()).toBe("127.0.0.1");
    expect(embeddedIpv4(ipaddr.IPv6.parse("::ffff:10.0.0.1"))?.toString()).toBe("10.0.0.1");
    expect(embeddedIpv4(ipaddr.IPv6.parse("::ffff:0:a9fe:a9fe"))?.toString()).toBe("169.254.169.254");
    expect(embeddedIpv4(ipaddr.IPv6.parse("64:ff9b::c0a8:1"))?.toString()).toBe("192.168.0.1");
    expect(embeddedIpv4(ipaddr.IPv6.parse("2002:5db8:d70e::1"))?.toString()).toBe("93.184.215.14");
    expect(embeddedIpv4(ipaddr.IPv6.parse("2606:4700::1111"))).toBeNull();
    // Public IPv4 addresses stay public in every wrapping; a plain public IPv6 address too.
    for (const a of ["93.184.215.14", "::ffff:93.184.215.14", "64:ff9b::93.184.215.14", "2002:5db8:d70e::1", "2606:4700::1111"])
      expect(isAllowedAddress(a, DEV), a).toBe(true);
  });

  it("opens loopback, and only loopback, with KEYPORT_WEBHOOKS_ALLOW_PRIVATE, in every wrapping", async () => {
    for (const a of ["127.0.0.1", "::1", "::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::127.0.0.1"])
      expect(isAllowedAddress(a, LOOPBACK_OK), a).toBe(true);
    for (const a of ["10.0.0.1", "::10.0.0.1", "::ffff:169.254.169.254", "2002:a9fe:a9fe::", "fc00::1", "not-an-address"])
      expect(isAllowedAddress(a, LOOPBACK_OK), a).toBe(false);
    expect(await endpointUrlProblem("http://[::10.0.0.1]/", LOOPBACK_OK)).toBe(PRIVATE_ADDRESS);
  });
});

describe("the endpoint form's words about URLs", () => {
  it("say what the policy in force accepts: loopback allowed only where it is, https:// only in production", async () => {
    const { urlRuleText } = await import("./url-safety");
    const prod = urlRuleText({ production: true, allowLoopback: false });
    const devLoopback = urlRuleText({ production: false, allowLoopback: true });
    const dev = urlRuleText({ production: false, allowLoopback: false });
    expect(prod).toMatch(/^https:\/\/ only\./);
    expect(devLoopback).toMatch(/Loopback addresses are allowed here/);
    expect(dev).toMatch(/Private, loopback, link-local and metadata addresses are refused/);
    // Each says what endpointUrlProblem then does with a loopback URL.
    expect(await endpointUrlProblem("http://127.0.0.1:8080/hooks", { production: false, allowLoopback: true })).toBeNull();
    expect(await endpointUrlProblem("http://127.0.0.1:8080/hooks", { production: false, allowLoopback: false })).toBe(PRIVATE_ADDRESS);
  });
});
