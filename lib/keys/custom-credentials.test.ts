import { describe, expect, it } from "vitest";
import { CUSTOM_SECRET_MASK, customSecretHint } from "./custom-credentials";

describe("customSecretHint", () => {
  it("is one fixed mask whatever the password: neither its characters nor its length show", () => {
    const short = customSecretHint("Correct-Horse-1");
    const long = customSecretHint("a-much-longer-Passphrase-42!");
    expect(short).toBe(CUSTOM_SECRET_MASK);
    expect(long).toBe(short);
    expect(short).not.toMatch(/\d/);
  });
});
