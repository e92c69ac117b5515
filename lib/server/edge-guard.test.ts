import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { edgeGuard } from "./edge-guard";

let server: Server | undefined;
afterEach(() => {
  delete process.env.KEYPORT_ENV;
  return new Promise<void>((r) => (server ? (server.closeAllConnections(), server.close(() => r())) : r()));
});

/** The project's order: refuse, then hold the body, then the app (which echoes what it reads). */
async function start(env: Record<string, string> = {}) {
  const guard = edgeGuard({ KEYPORT_MAX_BODY_BYTES: "1024", ...env });
  server = createServer((req, res) => {
    if (guard.refuse(req, res, req.url === "/verify")) return;
    guard.withBody(req, res, async () => {
      let body = "";
      for await (const c of req) body += c;
      res.end(`app:${body}`);
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

function call(port: number, opts: { path?: string; host?: string; body?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        port,
        host: "127.0.0.1",
        method: opts.body === undefined ? "GET" : "POST",
        path: opts.path ?? "/",
        headers: { host: opts.host ?? "localhost", ...opts.headers },
      },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

describe("edge guard", () => {
  it("answers 421 to an unknown Host outside production, but not on the verification API", async () => {
    const port = await start();
    expect((await call(port, { host: "evil.test" })).status).toBe(421);
    expect((await call(port, { host: `localhost:${port}` })).body).toBe("app:");
    expect((await call(port, { host: "evil.test", path: "/verify" })).body).toBe("app:");
  });

  it("leaves the Host to the proxy in production", async () => {
    process.env.KEYPORT_ENV = "production";
    const port = await start();
    expect((await call(port, { host: "keys.example.test" })).status).toBe(200);
  });

  it("refuses a body over the limit, and a malformed server-action body, before the app reads either", async () => {
    const port = await start();
    expect((await call(port, { body: "x".repeat(2000) })).status).toBe(413);
    expect((await call(port, { body: '["$Q"]', headers: { "next-action": "ab", "content-type": "text/plain" } })).status).toBe(400);
    expect(await call(port, { body: '["ok"]', headers: { "next-action": "ab", "content-type": "text/plain" } })).toEqual({
      status: 200,
      body: 'app:["ok"]',
    });
    expect(await call(port, { body: '["$Q"]' })).toEqual({ status: 200, body: 'app:["$Q"]' }); // not an action: the app decides
  });
});
