// packages/verify/README.md's examples, run as written against the running Keyport: the Express
// server as its own node process, the Next.js route handler and the Hono app as modules. Only
// their environment (KEYPORT_URL, KEYPORT_TOKEN, PORT) is filled in. A key disabled through the
// management API is refused by the running Express app within a second.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test, expect, ownerSession } from "./fixtures";
import { createManagementToken } from "./management-token";
import { newKey } from "./flows";

test.use(ownerSession);

const readme = readFileSync(join(process.cwd(), "packages/verify/README.md"), "utf8");
/** The first ```js block under a heading. */
const example = (heading: string) => /```js\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf(`## ${heading}`)))![1];
/** Examples live under the repository (test-results/), so `express`, `hono` and `@keyport/verify` resolve as after npm install. */
function write(name: string, code: string) {
  const dir = join(process.cwd(), "test-results", `sdk-readme-${randomBytes(3).toString("hex")}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), code);
  return join(dir, name);
}
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

test("the SDK README's Express, Next.js and Hono examples run as written; a disabled key is refused within a second", async ({
  page,
  baseURL,
  request,
}) => {
  const { token, merchantId } = await createManagementToken(page, {
    name: `SDK ${randomBytes(3).toString("hex")}`,
    scopes: ["keys:write", "keys:verify"],
  });
  const name = `SDK key ${randomBytes(3).toString("hex")}`;
  const secret = await newKey(page, name, "Sandbox");
  const keyId = /\/keys\/([0-9a-f-]{36})/.exec(page.url())![1];
  const env = { ...process.env, KEYPORT_URL: baseURL!, KEYPORT_TOKEN: token };

  // Express, as its own process.
  const port = await freePort();
  const app: ChildProcess = spawn(process.execPath, [write("server.mjs", example("Express"))], {
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  app.stdout?.on("data", (d) => (output += d));
  app.stderr?.on("data", (d) => (output += d));
  try {
    const orders = `http://127.0.0.1:${port}/api/orders`;
    await expect.poll(async () => (await fetch(orders).catch(() => null))?.status ?? 0, { message: output }).toBe(401);
    const answer = await fetch(orders, { headers: { authorization: `Bearer ${secret}` } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ merchant: merchantId, environment: "sandbox" });
    const basic = await fetch(orders, { headers: { authorization: `Basic ${Buffer.from(`${secret}:`).toString("base64")}` } });
    expect(basic.status).toBe(200);
    const wrong = await fetch(orders, { headers: { authorization: `Bearer ${secret.slice(0, -1)}0` } });
    expect([wrong.status, (await wrong.json()).error]).toEqual([401, "MALFORMED"]);

    // Disabled through the management API: the Express app refuses it within a second of the answer.
    const disabled = await request.post(`/api/v1/merchants/${merchantId}/keys/${keyId}/disable`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(disabled.status()).toBe(200);
    const t0 = Date.now();
    await expect
      .poll(async () => (await fetch(orders, { headers: { authorization: `Bearer ${secret}` } })).status, {
        timeout: 1000,
        intervals: [20],
      })
      .toBe(401);
    console.log(`disabled key refused by the Express example after ${Date.now() - t0} ms`);
    const refused = await fetch(orders, { headers: { authorization: `Bearer ${secret}` } });
    expect(await refused.json()).toMatchObject({ error: "DISABLED" });
    const enabled = await request.post(`/api/v1/merchants/${merchantId}/keys/${keyId}/enable`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(enabled.status()).toBe(200);
  } finally {
    app.kill();
  }

  // The Next.js route handler and the Hono app, imported as the modules they are.
  Object.assign(process.env, { KEYPORT_URL: baseURL!, KEYPORT_TOKEN: token });
  const next = (await import(pathToFileURL(write("route.mjs", example("Next.js route handlers"))).href)) as {
    GET: (r: Request) => Promise<Response>;
  };
  const hono = (await import(pathToFileURL(write("app.mjs", example("Hono"))).href)) as {
    app: { fetch: (r: Request) => Promise<Response> };
  };
  const call = (handler: (r: Request) => Promise<Response>, key?: string) =>
    handler(new Request("http://service.test/api/orders", { headers: key ? { authorization: `Bearer ${key}` } : {} }));
  for (const handler of [next.GET, (r: Request) => hono.app.fetch(r)]) {
    await expect.poll(async () => (await call(handler, secret)).status).toBe(200);
    expect(await (await call(handler, secret)).json()).toEqual({ merchant: merchantId });
    expect((await call(handler)).status).toBe(401);
  }
});
