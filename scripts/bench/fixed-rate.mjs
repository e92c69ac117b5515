// An open-loop load generator: sends requests on a fixed schedule (rate per second) whatever the
// server's answers, and measures each latency from the moment the request was *due*, not from
// when it was written. That way a server stall shows up in full (no coordinated omission), and
// the generator never bursts the way a per-second token bucket does.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import { pathToFileURL } from "node:url";

/** `windowSeconds`: also report p99 and max per window of that many seconds (by due time). */
export async function fixedRate({ host = "127.0.0.1", port, path, bodies, rate, seconds, sockets = 64, windowSeconds = 0 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const total = Math.round(rate * seconds);
  const latencies = new Float64Array(total);
  let sent = 0;
  let done = 0;
  let errors = 0;
  const start = performance.now();
  await new Promise((resolve) => {
    const fire = (i) => {
      const due = start + (i * 1000) / rate;
      const body = bodies[i % bodies.length];
      const req = http.request(
        {
          host,
          port,
          path,
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          if (res.statusCode !== 200) errors++;
          res.resume();
          res.on("end", () => {
            latencies[i] = performance.now() - due;
            if (++done === total) resolve();
          });
        },
      );
      req.on("error", () => {
        errors++;
        latencies[i] = performance.now() - due;
        if (++done === total) resolve();
      });
      req.end(body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) fire(sent++);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  const elapsed = (performance.now() - start) / 1000;
  const stats = (xs) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
    return { p50: pct(50), p99: pct(99), p999: pct(99.9), max: sorted[sorted.length - 1] };
  };
  const windows = [];
  if (windowSeconds > 0) {
    const per = Math.round(rate * windowSeconds); // request i is due at i / rate seconds
    for (let i = 0; i < total; i += per) windows.push({ from: i / rate, ...stats(latencies.subarray(i, Math.min(total, i + per))) });
  }
  return { requests: total, achieved: total / elapsed, errors, ...stats(latencies), windows };
}

/**
 * The same, in a fresh child process: the generator's own garbage collection (after autocannon
 * runs in the parent, say) would otherwise show up as server latency. `bodiesFile` is a JSON
 * array of request bodies.
 */
export function fixedRateInChild({ bodiesFile, ...opts }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [new URL(import.meta.url).pathname, JSON.stringify({ bodiesFile, ...opts })], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`fixed-rate child exited with ${code}`))));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { bodiesFile, ...opts } = JSON.parse(process.argv[2]);
  const bodies = JSON.parse(readFileSync(bodiesFile, "utf8"));
  // Half a second at the same rate first, unmeasured: the generator's own code gets compiled.
  await fixedRate({ ...opts, bodies, seconds: 0.5 });
  const result = await fixedRate({ ...opts, bodies });
  process.stdout.write(JSON.stringify(result));
}
