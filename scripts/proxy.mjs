// A small load balancer for trying several Keyport instances on one machine (and for
// `npm run bench:rolling-restart`): round-robin over the backends whose GET /readyz answers 200,
// checked every 100 ms; a request whose connection is refused or reset before any answer is sent
// again to the next ready backend (verification and reads are safe to repeat). Loopback only.
//
//   node scripts/proxy.mjs 8080 http://127.0.0.1:3001 http://127.0.0.1:3011
import http from "node:http";

export function startProxy(port, backends, { host = "127.0.0.1", checkMs = 100 } = {}) {
  const ready = new Set();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const check = () =>
    Promise.all(
      backends.map(async (b) => {
        try {
          const res = await fetch(`${b}/readyz`, { signal: AbortSignal.timeout(1000) });
          if (res.status === 200) ready.add(b);
          else ready.delete(b);
        } catch {
          ready.delete(b);
        }
      }),
    );
  const timer = setInterval(check, checkMs);
  let next = 0;
  const pick = (avoid) => {
    const list = backends.filter((b) => ready.has(b) && !avoid.has(b));
    const pool = list.length ? list : backends.filter((b) => !avoid.has(b));
    return pool.length ? pool[next++ % pool.length] : undefined;
  };
  const stats = { forwarded: 0, retried: 0, failed: 0 };

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const tried = new Set();
      const attempt = () => {
        const backend = pick(tried);
        if (!backend) {
          stats.failed++;
          res.writeHead(502, { "content-type": "application/json" }).end('{"error":"no_backend"}');
          return;
        }
        tried.add(backend);
        const url = new URL(req.url, backend);
        const out = http.request(url, { method: req.method, headers: { ...req.headers, host: url.host }, agent }, (answer) => {
          stats.forwarded++;
          res.writeHead(answer.statusCode, answer.headers);
          answer.pipe(res);
        });
        out.on("error", (err) => {
          // Nothing was answered yet: the backend went away (draining or gone). Try the next one.
          if (res.headersSent) return res.destroy(err);
          ready.delete(backend);
          stats.retried++;
          attempt();
        });
        out.end(body);
      };
      attempt();
    });
  });
  return new Promise((resolve) =>
    server.listen(port, host, async () => {
      await check();
      resolve({
        stats,
        ready,
        close: () => {
          clearInterval(timer);
          agent.destroy();
          return new Promise((r) => server.close(r));
        },
      });
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [port, ...backends] = process.argv.slice(2);
  if (!port || !backends.length) {
    console.error("usage: node scripts/proxy.mjs <port> <backend url> [<backend url> …]");
    process.exit(2);
  }
  await startProxy(Number(port), backends);
  console.log(`Proxy on http://127.0.0.1:${port} -> ${backends.join(", ")}`);
}
