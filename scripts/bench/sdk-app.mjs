// A child of scripts/bench/sdk.ts. MODE=app: an Express app in one of three forms (bare, with
// @keyport/verify's middleware, or calling POST /api/v1/keys/verify on every request), on PORT.
// MODE=clients: five verifiers under load, told by the parent (IPC) which secret to watch; each
// reports when it first refuses it.
import express from "express";
import { createVerifier, keyport } from "@keyport/verify";

const { KEYPORT_URL: url, KEYPORT_TOKEN: token, MODE, FORM, PORT } = process.env;
const now = () => performance.timeOrigin + performance.now();

if (MODE === "app") {
  const app = express();
  if (FORM === "sdk") app.use("/api", keyport(createVerifier({ url, token })));
  if (FORM === "http")
    app.use("/api", async (req, res, next) => {
      const key = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
      const r = await fetch(`${url}/api/v1/keys/verify`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ key }),
      });
      const body = await r.json();
      if (!body.valid) return res.status(401).json({ error: body.outcome });
      req.keyport = body;
      next();
    });
  app.get("/api/orders", (req, res) => res.json({ ok: true, merchant: req.keyport?.merchantId ?? null }));
  app.listen(Number(PORT), "127.0.0.1", () => process.send?.("ready"));
} else {
  const clients = Array.from({ length: 5 }, () => createVerifier({ url, token }));
  await Promise.all(clients.map((c) => c.ready()));
  let load = [];
  let watching = null;
  // Background load: every client verifies the warm keys in a loop, yielding between batches.
  const spin = async (c) => {
    for (;;) {
      for (const k of load) await c.verify(k);
      await new Promise((r) => setImmediate(r));
    }
  };
  process.on("message", async (m) => {
    if (m.type === "load") {
      load = m.keys;
      for (const c of clients) for (const k of load) await c.verify(k);
      for (const c of clients) void spin(c);
      process.send({ type: "loaded" });
    } else if (m.type === "watch") {
      watching = m.secret;
      for (const c of clients) await c.verify(watching); // cached before the change
      process.send({ type: "watching" });
      const refusedAt = await Promise.all(
        clients.map(async (c) => {
          for (;;) {
            const r = await c.verify(watching);
            if (!r.valid) return now();
            await new Promise((r) => setTimeout(r, 1));
          }
        }),
      );
      process.send({ type: "refused", at: refusedAt, hits: clients.reduce((n, c) => n + c.stats().hits, 0) });
    }
  });
  process.send({ type: "ready" });
}
