import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checksumMatches, generateSecret } from "@/lib/keys/secret";
import { SECRET_PATTERN } from "./pattern";

const re = new RegExp(`^${SECRET_PATTERN}$`);

describe("the secret scanning pattern", () => {
  it("matches generated keys of both environments, and its checksum holds on every match", () => {
    for (let i = 0; i < 200; i++)
      for (const env of ["production", "sandbox"] as const) {
        const secret = generateSecret(env);
        expect(secret).toMatch(re);
        expect(checksumMatches(secret)).toBe(true);
      }
  });

  it("does not match near misses", () => {
    const s = generateSecret("production");
    for (const miss of [
      s.slice(0, -1), // one short
      `${s}A`, // one long
      s.replace("kp_live_", "kp_prod_"),
      s.replace("kp_live_", "kpm_live_"), // a management token's prefix
      s.replace(/.$/, "-"),
      `x${s}`, // inside a longer word
    ])
      expect(miss, miss).not.toMatch(re);
    // A well-formed token whose checksum is wrong matches the shape: the checksum is what drops it.
    const wrong = s.slice(0, -1) + (s.endsWith("0") ? "1" : "0");
    expect(wrong).toMatch(re);
    expect(checksumMatches(wrong)).toBe(false);
  });

  it("is the one the registration kit documents, for GitHub, gitleaks and trufflehog, and its test vectors hold", () => {
    const doc = readFileSync("docs/secret-scanning.md", "utf8");
    expect(doc.split(SECRET_PATTERN).length - 1).toBeGreaterThanOrEqual(3);
    const rows = [...doc.matchAll(/^\| `([^`]+)` \| (yes|no)[^|]*\| (yes|no|—)[^|]*\|$/gm)];
    expect(rows).toHaveLength(5);
    for (const [, token, matches, checksum] of rows) {
      expect(re.test(token), token).toBe(matches === "yes");
      if (checksum !== "—") expect(checksumMatches(token), token).toBe(checksum === "yes");
    }
  });
});
