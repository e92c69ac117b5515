import { createServer, request, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  bodyLimitFor,
  declaredTooLarge,
  holdBody,
  limitConnections,
  maxBodyBytes,
  openFileLimit,
  refuseTooLarge,
  SERVER_OPTIONS,
} from "./request-limits";

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? (server.closeAllConnections(), server.close(() => r())) : r())));

/** A server that holds each body (limit 1 kB), then answers with what a later reader sees. */
async function echoServer(limit = 1024) {
  server = createServer(SERVER_OPTIONS, (req, res) => {
    if (declaredTooLarge(req, limit)) return refuseTooLarge(res, limit);
    holdBody(
      req,
      limit,
      async (held) => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        res.end(JSON.stringify({ held: held.length, read: Buffer.concat(chunks).toString() }));
      },
      () => refuseTooLarge(res, limit),
    );
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

function post(port: number, body: string[], headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ port, host: "127.0.0.1", method: "POST", path: "/", headers }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on("error", reject);
    for (const b of body) req.write(b);
    req.end();
  });
}

describe("request body limit", () => {
  it("hands a body under the limit on unchanged, chunked or not", async () => {
    const port = await echoServer();
    expect(await post(port, ["hello ", "world"])).toEqual({ status: 200, body: JSON.stringify({ held: 11, read: "hello world" }) });
    expect(await post(port, ["a=1"], { "content-length": "3" })).toEqual({ status: 200, body: JSON.stringify({ held: 3, read: "a=1" }) });
  });

  it("refuses a declared Content-Length over the limit with 413 before the body is sent", async () => {
    const port = await echoServer();
    const socket = connect(port, "127.0.0.1");
    socket.write("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10485760\r\n\r\n");
    const first = await new Promise<string>((r) => socket.once("data", (c) => r(c.toString())));
    socket.destroy();
    expect(first).toMatch(/^HTTP\/1\.1 413/);
  });

  it("cuts a chunked body off at the limit with 413", async () => {
    const port = await echoServer();
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => {}); // the server may close while we still write
    socket.write("POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
    const answer = new Promise<string>((r) => socket.once("data", (c) => r(c.toString())));
    for (let i = 0; i < 4; i++) socket.write(`200\r\n${"x".repeat(512)}\r\n`);
    expect(await answer).toMatch(/^HTTP\/1\.1 413/);
    socket.destroy();
  });

  it("allows more only on the page whose bulk actions need it", () => {
    expect(bodyLimitFor("/login", 65536)).toBe(65536);
    expect(bodyLimitFor("/merchants/0b5c/developers/credentials?env=live", 65536)).toBe(256 * 1024);
    expect(bodyLimitFor("/merchants/0b5c/developers/credentials", 65536)).toBe(256 * 1024);
    expect(bodyLimitFor("/merchants/0b5c/developers/credentialsx", 65536)).toBe(65536);
    expect(bodyLimitFor("/merchants/a/b/developers/credentials", 65536)).toBe(65536);
  });

  it("reads its limit from the environment", () => {
    expect(maxBodyBytes({})).toBe(64 * 1024);
    expect(maxBodyBytes({ KEYPORT_MAX_BODY_BYTES: "1000" })).toBe(1000);
    expect(maxBodyBytes({ KEYPORT_MAX_BODY_BYTES: "-1" })).toBe(64 * 1024);
  });
});

describe("connection limits", () => {
  it("sets header and request timeouts well under Node's defaults", () => {
    expect(SERVER_OPTIONS.headersTimeout).toBeLessThanOrEqual(20_000);
    expect(SERVER_OPTIONS.requestTimeout).toBeLessThanOrEqual(60_000);
  });

  it("reads the open-file limit and keeps a reserve under it", () => {
    expect(
      openFileLimit(
        () => "Limit  Soft Limit  Hard Limit  Units\nMax open files            20000                20000                files\n",
      ),
    ).toBe(20000);
    expect(
      openFileLimit(() => {
        throw new Error("no /proc");
      }),
    ).toBe(1024);
    const s = createServer();
    limitConnections(s, 2, () => false, 20000);
    expect(s.maxConnections).toBe(19488);
  });

  it("closes connections over the limit per address, and counts closed ones out", async () => {
    server = createServer((_req, res) => res.end("ok"));
    const open = limitConnections(server, 2, () => false);
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const dial = () =>
      new Promise<{ closed: Promise<boolean>; get: () => Promise<string>; end: () => void }>((resolve) => {
        const s = connect(port, "127.0.0.1", () =>
          resolve({
            closed: new Promise((r) => s.once("close", () => r(true))),
            get: () =>
              new Promise((r) => {
                s.once("data", (c) => r(c.toString()));
                s.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
              }),
            end: () => s.destroy(),
          }),
        );
        s.on("error", () => {});
      });
    const a = await dial();
    const b = await dial();
    const c = await dial();
    expect(await c.closed).toBe(true);
    expect(open.get("127.0.0.1")).toBe(2);
    a.end();
    await a.closed;
    await expect.poll(() => open.get("127.0.0.1")).toBe(1); // the server sees the close a moment later
    const d = await dial();
    expect(await d.get()).toMatch(/^HTTP\/1\.1 200/);
    b.end();
    d.end();
  });

  it("exempts a trusted proxy", async () => {
    server = createServer((_req, res) => res.end("ok"));
    const open = limitConnections(server, 1, () => true);
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const sockets = [connect(port, "127.0.0.1"), connect(port, "127.0.0.1")];
    const answers = await Promise.all(
      sockets.map(
        (s) =>
          new Promise<string>((r) => {
            s.once("data", (c) => r(c.toString()));
            s.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
          }),
      ),
    );
    for (const a of answers) expect(a).toMatch(/^HTTP\/1\.1 200/);
    expect(open.size).toBe(0);
    sockets.forEach((s) => s.destroy());
  });
});
