import { describe, expect, it } from "vitest";
import { allowedHostNames, hostAllowed, hostName, listenHost } from "./host-check";

const noInterfaces = () => ({});

describe("listenHost", () => {
  it("is loopback unless HOST is set", () => {
    expect(listenHost({})).toBe("127.0.0.1");
    expect(listenHost({ HOST: "" })).toBe("127.0.0.1");
    expect(listenHost({ HOST: "0.0.0.0" })).toBe("0.0.0.0");
  });
});

describe("host check", () => {
  it("reads the name from a Host header", () => {
    expect(hostName("LocalHost:3000")).toBe("localhost");
    expect(hostName("[::1]:3000")).toBe("[::1]");
    for (const bad of [undefined, "", "evil.test@localhost", "localhost/x", "a b", "localhost:99999"])
      expect(hostName(bad), String(bad)).toBeNull();
  });

  it("answers loopback names by default and nothing else", () => {
    const allowed = allowedHostNames({}, noInterfaces);
    for (const h of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "localhost"]) expect(hostAllowed(h, allowed), h).toBe(true);
    for (const h of ["evil.test", "evil.test:3000", "localhost.evil.test", "127.0.0.1.nip.io", "10.0.0.5:3000", undefined, ""])
      expect(hostAllowed(h, allowed), String(h)).toBe(false);
  });

  it("adds the names of HOST, KEYPORT_URL and APP_URL", () => {
    const allowed = allowedHostNames(
      { HOST: "portal.lan", KEYPORT_URL: "https://keys.example.test/", APP_URL: "http://10.1.2.3:3000" },
      noInterfaces,
    );
    for (const h of ["portal.lan:3000", "keys.example.test", "10.1.2.3:3000"]) expect(hostAllowed(h, allowed), h).toBe(true);
    expect(hostAllowed("example.test", allowed)).toBe(false);
    expect(hostAllowed("[fe80::1]", allowedHostNames({ HOST: "fe80::1" }, noInterfaces))).toBe(true);
  });

  it("bound to every interface, accepts the machine's own addresses but still no other name", () => {
    const interfaces = () =>
      ({
        eth0: [
          { address: "192.168.1.20", family: "IPv4" },
          { address: "fe80::2%eth0", family: "IPv6" },
        ],
      }) as never;
    const allowed = allowedHostNames({ HOST: "0.0.0.0" }, interfaces);
    expect(hostAllowed("192.168.1.20:3000", allowed)).toBe(true);
    expect(hostAllowed("[fe80::2]:3000", allowed)).toBe(true);
    expect(hostAllowed("evil.test:3000", allowed)).toBe(false);
  });
});
