import { describe, expect, it } from "vitest";
import { env } from "./env";

describe("env", () => {
  it("gives defaults for what is not set", () => {
    const e = env({});
    expect([e.PORT, e.VERIFIER_PORT, e.VERIFIER_WORKERS, e.KEYPORT_ALLOWED_ORIGINS, e.APP_URL, e.KEYPORT_MAX_BODY_BYTES]).toEqual([
      3000,
      3001,
      1,
      [],
      undefined,
      undefined,
    ]);
  });

  it("parses numbers and lists, and treats empty text as unset", () => {
    const e = env({
      PORT: "8080",
      VERIFIER_WORKERS: "4",
      KEYPORT_ALLOWED_ORIGINS: "https://a.test, https://b.test,",
      APP_URL: "  ",
      KEYPORT_MAX_BODY_BYTES: "1024",
    });
    expect([e.PORT, e.VERIFIER_WORKERS, e.KEYPORT_ALLOWED_ORIGINS, e.APP_URL, e.KEYPORT_MAX_BODY_BYTES]).toEqual([
      8080,
      4,
      ["https://a.test", "https://b.test"],
      undefined,
      1024,
    ]);
  });

  it("falls back to the defaults for malformed numbers, as before", () => {
    const e = env({ PORT: "eighty", VERIFIER_WORKERS: "0", KEYPORT_MAX_BODY_BYTES: "-5", KEYPORT_MAX_CONNECTIONS_PER_ADDRESS: "1.5" });
    expect([e.PORT, e.VERIFIER_WORKERS, e.KEYPORT_MAX_BODY_BYTES, e.KEYPORT_MAX_CONNECTIONS_PER_ADDRESS]).toEqual([
      3000,
      1,
      undefined,
      undefined,
    ]);
  });

  it("reads process.env once, and again after it changes", () => {
    const before = process.env.MAIL_FROM;
    try {
      process.env.MAIL_FROM = "A <a@example.test>";
      expect(env()).toBe(env());
      expect(env().MAIL_FROM).toBe("A <a@example.test>");
      process.env.MAIL_FROM = "B <b@example.test>";
      expect(env().MAIL_FROM).toBe("B <b@example.test>");
    } finally {
      if (before === undefined) delete process.env.MAIL_FROM;
      else process.env.MAIL_FROM = before;
    }
  });
});
