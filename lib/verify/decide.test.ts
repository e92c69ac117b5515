import { describe, expect, it } from "vitest";
import { OUTCOMES, type KeyState } from "./types";
import { responseFor, responseJson } from "./decide";

const base: KeyState = {
  keyId: "6f1c2b1e-8a47-4c55-9a55-0a1b2c3d4e5f",
  merchantId: "0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70",
  environment: "production",
  channel: "REST",
  status: "ENABLED",
  permissions: ["payments:read", "refunds:write"],
  ipAllowList: [],
  expiresAt: Date.UTC(2031, 4, 6, 7, 8, 9, 123),
  credentialId: "3a4b5c6d-7e8f-4a1b-8c2d-3e4f5a6b7c8d",
  slot: "CURRENT",
  credentialExpiresAt: null,
};

describe("the verification answer's JSON", () => {
  const states: [string, KeyState][] = [
    ["a current credential", base],
    ["a previous credential in its grace window", { ...base, slot: "PREVIOUS", credentialExpiresAt: Date.UTC(2027, 0, 2, 3, 4, 5) }],
    ["no permissions", { ...base, permissions: [] }],
    ["ids that need escaping", { ...base, keyId: 'k"\\1', merchantId: "m\u2028" }],
    ["a test key of another channel", { ...base, environment: "sandbox", channel: "FTP" }],
  ];
  for (const [what, state] of states)
    it(`is the serialised answer, field for field and in order, for ${what}`, () => {
      for (const outcome of OUTCOMES) {
        const json = responseJson(outcome, state);
        expect(json).toBe(JSON.stringify(responseFor(outcome, state)));
        expect(JSON.parse(json)).toEqual(responseFor(outcome, state));
      }
    });

  it("says when a previous credential stops working only when it is valid", () => {
    const previous = { ...base, slot: "PREVIOUS" as const, credentialExpiresAt: Date.UTC(2027, 0, 2) };
    expect(JSON.parse(responseJson("VALID", previous)).rotation).toEqual({ previousExpiresAt: "2027-01-02T00:00:00.000Z" });
    expect(JSON.parse(responseJson("IP_NOT_ALLOWED", previous)).rotation).toBeUndefined();
    expect(JSON.parse(responseJson("VALID", base)).rotation).toBeUndefined();
  });
});
