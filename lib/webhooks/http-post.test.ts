import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { postWebhook } from "./http-post";
import { RESPONSE_KEPT_BYTES } from "./schedule";
import { PRIVATE_ADDRESS } from "./url-safety";

const LOOPBACK = { production: false, allowLoopback: true };
const STRICT = { production: false, allowLoopback: false };
const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.closeAllConnections(), s.close();
});

async function receiver(handler: http.RequestListener) {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("postWebhook: what a receiver can make a delivery cost", () => {
  it("a receiver that trickles a 100 MB body: the read stops after the 1 kB kept, and the connection is closed", async () => {
    let written = 0;
    let closed = false;
    const url = await receiver((_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(100 * 1024 * 1024) });
      const chunk = Buffer.alloc(16 * 1024, "z");
      const pump = () => {
        while (!closed && written < 100 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", () => setTimeout(pump, 5));
        }
      };
      res.on("close", () => (closed = true));
      pump();
    });
    const before = process.memoryUsage().rss;
    const r = await postWebhook(`${url}/hooks`, {}, "{}", LOOPBACK);
    expect(r).toMatchObject({ statusCode: 200, error: null });
    expect(r.body).toHaveLength(RESPONSE_KEPT_BYTES);
    await expect.poll(() => closed).toBe(true);
    // What the kernel's socket buffers took before the read stopped; nowhere near the 100 MB offered.
    expect(written).toBeLessThan(16 * 1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it("a redirect to another address is answered as it is, and not followed", async () => {
    let followed = 0;
    const target = await receiver((_req, res) => void (followed++, res.end("ok")));
    const url = await receiver((_req, res) => void res.writeHead(302, { location: `${target}/inside` }).end());
    expect(await postWebhook(`${url}/hooks`, {}, "{}", LOOPBACK)).toMatchObject({ statusCode: 302, error: null });
    expect(followed).toBe(0);
  });

  it("an address the policy refuses is never connected to: IP literals in any wrapping, and names resolving to one", async () => {
    let reached = 0;
    const url = await receiver((_req, res) => void (reached++, res.end("ok")));
    const port = new URL(url).port;
    for (const host of ["127.0.0.1", "[::ffff:127.0.0.1]", "[::127.0.0.1]", "[64:ff9b::127.0.0.1]", "localhost"]) {
      const r = await postWebhook(`http://${host}:${port}/hooks`, {}, "{}", STRICT);
      expect(r, host).toMatchObject({ statusCode: null, error: PRIVATE_ADDRESS });
    }
    expect(reached).toBe(0);
    // The same receiver with loopback allowed (development and tests): delivered.
    expect(await postWebhook(`http://localhost:${port}/hooks`, {}, "{}", LOOPBACK)).toMatchObject({ statusCode: 200 });
    expect(reached).toBe(1);
  });
});
