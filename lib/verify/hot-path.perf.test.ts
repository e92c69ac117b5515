// Performance contract of the verification hot path. These tests pin how it is fast, not what it
// answers (verify.test.ts does that): a cached key is answered within the request body's last
// push, with no promise in between, and the clock is the Date.now captured at load, because
// Next.js wraps Date.now with a tracking function that costs about a microsecond per call. A
// change that breaks one of these still verifies correctly; it makes bench:verify slower. They
// run with `npm test` so such a change is a decision, not an accident; `npm run bench:verify`
// prints what they buy.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createHook } from "node:async_hooks";
import { EventEmitter } from "node:events";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import type { SqlTarget } from "./sql";
import { createActor } from "@/prisma/factories";
import { createKeySchema } from "@/lib/keys/schema";
import { createKey } from "@/lib/keys/services/create-key";
import { KeyCache } from "./cache";
import { UsageRecorder } from "./usage";
import { createVerifyHandler, VERIFY_PATH } from "./handler";

let db: Database;
const cache = new KeyCache();
const usage = new UsageRecorder();
const dbGetter = async (): Promise<SqlTarget> => db.pool;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

/** A request as Node's HTTP parser hands it over: the body through req.push, then push(null). */
function call(handle: ReturnType<typeof createVerifyHandler>, body: unknown) {
  const req = Object.assign(new EventEmitter(), {
    method: "POST",
    url: VERIFY_PATH,
    headers: { "content-type": "application/json" },
    destroy() {},
    push(_chunk: unknown) {
      return true;
    },
  });
  const out = { status: 0, body: "" };
  const res = {
    headersSent: false,
    writeHead(s: number) {
      out.status = s;
      return this;
    },
    end(b: string) {
      out.body = b;
    },
  };
  handle(req as never, res as never);
  req.push(Buffer.from(JSON.stringify(body)));
  req.push(null);
  return out;
}

async function cachedKey() {
  const owner = await createActor(db.prisma, "OWNER");
  const k = await createKey(
    db.prisma,
    owner,
    createKeySchema.parse({ name: "Verify me", environment: "production", channel: "REST", permissions: ["payments:read"] }),
  );
  const handle = createVerifyHandler({ db: dbGetter, cache, usage, clientIp: () => "192.0.2.1" });
  // The first call loads the key (asynchronously); wait until the cache answers it.
  await vi.waitFor(() => expect(JSON.parse(call(handle, { key: k.secret }).body || "{}").outcome).toBe("VALID"));
  return { k, handle };
}

describe("performance contract: the verification hot path", () => {
  it("answers a cached key synchronously: no promise between the body's end and the answer", async () => {
    const { k, handle } = await cachedKey();
    let promises = 0;
    const hook = createHook({ init: (_id, type) => void (type === "PROMISE" && promises++) }).enable();
    let out: { status: number; body: string };
    try {
      out = call(handle, { key: k.secret });
    } finally {
      hook.disable();
    }
    expect(out.status).toBe(200); // answered within the body's last push, before any await could run
    expect(JSON.parse(out.body)).toMatchObject({ valid: true, keyId: k.keyId });
    expect(promises).toBe(0);
  });

  it("reads the clock as Date.now was when it loaded, not a wrapper installed later (Next.js wraps Date.now)", async () => {
    const { k, handle } = await cachedKey();
    const wrapped = vi.spyOn(Date, "now");
    try {
      expect(JSON.parse(call(handle, { key: k.secret }).body).outcome).toBe("VALID");
      expect(wrapped).not.toHaveBeenCalled();
    } finally {
      wrapped.mockRestore();
    }
  });
});
