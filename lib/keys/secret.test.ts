import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checksumOf, generateSecret, hashSecret, parseSecret, randomBase62, RANDOM_LENGTH, secretHint } from "./secret";

describe("generated secrets", () => {
  it("follow kp_<env>_<32 base62><6-char checksum>", () => {
    expect(generateSecret("production")).toMatch(/^kp_live_[0-9A-Za-z]{38}$/);
    expect(generateSecret("sandbox")).toMatch(/^kp_test_[0-9A-Za-z]{38}$/);
  });

  it("carry at least 190 bits of randomness: 32 characters drawn from all 62", () => {
    expect(RANDOM_LENGTH).toBe(32);
    expect(RANDOM_LENGTH * Math.log2(62)).toBeGreaterThanOrEqual(190);
    // Every one of the 62 characters turns up in 6,400 draws: no character class is left out.
    const seen = new Set(Array.from({ length: 200 }, () => randomBase62(RANDOM_LENGTH)).join(""));
    expect(seen.size).toBe(62);
  });

  it("end in the base62 CRC32 of the random part, and parse back", () => {
    const s = generateSecret("production");
    const random = s.slice(8, 40);
    expect(s.slice(40)).toBe(checksumOf(random));
    expect(parseSecret(s)).toEqual({ env: "production", random });
  });

  it("reject a typo through the checksum, before any lookup", () => {
    const s = generateSecret("sandbox");
    const i = 12;
    const typo = s.slice(0, i) + (s[i] === "a" ? "b" : "a") + s.slice(i + 1);
    expect(parseSecret(typo)).toBeNull();
    expect(parseSecret(s.slice(0, -1) + (s.endsWith("0") ? "1" : "0"))).toBeNull();
  });

  it("accept every generated secret and no other checksum for it (the checksum is compared as a number)", () => {
    for (let n = 0; n < 500; n++) {
      const s = generateSecret(n % 2 ? "production" : "sandbox");
      expect(parseSecret(s)?.random).toBe(s.slice(8, 40));
      const i = 40 + (n % 6);
      const other = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[(n * 7) % 62];
      if (other !== s[i]) expect(parseSecret(s.slice(0, i) + other + s.slice(i + 1))).toBeNull();
    }
  });

  it("reject malformed input", () => {
    for (const bad of [
      undefined,
      null,
      42,
      "",
      "kp_live_",
      "kp_prod_" + "a".repeat(38),
      "kp_live_" + "!".repeat(38),
      generateSecret("sandbox") + "x",
    ]) {
      expect(parseSecret(bad)).toBeNull();
    }
  });

  it("are uniform over the alphabet and never repeat", () => {
    const counts = new Map<string, number>();
    const sample = randomBase62(62 * 2000);
    for (const ch of sample) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const n of counts.values()) expect(Math.abs(n - 2000)).toBeLessThan(300); // ~6.7σ
    const many = new Set(Array.from({ length: 2000 }, () => generateSecret("sandbox")));
    expect(many.size).toBe(2000);
  });

  it("are stored as SHA-256 and shown only as a hint", () => {
    const s = generateSecret("production");
    expect(hashSecret(s)).toBe(createHash("sha256").update(s).digest("hex"));
    expect(secretHint(s)).toBe(`kp_live_…${s.slice(-4)}`);
    expect(secretHint(s)).not.toContain(s.slice(8, 40));
  });
});
