import { describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { createLogger, incomingRequestId } from "./log";

function capture(json: boolean) {
  const out = new PassThrough();
  let text = "";
  out.on("data", (c) => (text += c));
  return { log: createLogger(json, out), text: () => text };
}

describe("the log", () => {
  it("is JSON lines in production, with the request id, and redacts fields that hold secrets", async () => {
    const { log, text } = capture(true);
    log.info(
      {
        requestId: "req-12345678",
        secret: "kp_live_abc",
        password: "hunter2-long",
        headers: { authorization: "Bearer kpm_x" },
        nested: { token: "t0k" },
      },
      "request",
    );
    await new Promise((r) => setImmediate(r));
    const line = JSON.parse(text().trim());
    expect(line).toMatchObject({ level: 30, msg: "request", requestId: "req-12345678", secret: "[redacted]", password: "[redacted]" });
    expect(line.headers.authorization).toBe("[redacted]");
    expect(line.nested.token).toBe("[redacted]");
    expect(text()).not.toMatch(/kp_live_abc|hunter2|kpm_x|t0k/);
  });

  it("is one readable line per entry in development, with the message as written", async () => {
    const { log, text } = capture(false);
    log.info("[mail] Invitation for a@example.test (no account yet): http://localhost:3000/invite/abc");
    log.error({ area: "verify", requestId: "abcdefgh" }, "verification failed");
    await new Promise((r) => setImmediate(r));
    const [first, second] = text().trim().split("\n");
    expect(first).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  \[mail\] Invitation for a@example\.test \(no account yet\): http/);
    expect(second).toMatch(/ERROR verification failed area=verify requestId=abcdefgh$/);
  });

  it("takes a caller's request id only when it is a plain token", () => {
    expect(incomingRequestId("9f1c2d3e-aaaa-bbbb")).toBe("9f1c2d3e-aaaa-bbbb");
    for (const bad of [undefined, "short", "has space in it", "x".repeat(65), ["a", "b"], "new\nline-injected"])
      expect(incomingRequestId(bad)).toBeNull();
  });
});
