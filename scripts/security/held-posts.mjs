// Memory under held request bodies (issue: 200 POST /login with 10 MB bodies took the server from
// 754 MB to 2.5 GB). Opens `count` connections to a local Keyport, sends all but the last byte of a
// 10 MB body (declared with Content-Length, or chunked), holds them, and samples the server's RSS.
//   node scripts/security/held-posts.mjs <port> <server pid> [count=200] [length|chunked] [hold ms=20000]
// Loopback only: it refuses any other host.
import { connect } from "node:net";
import { readFileSync } from "node:fs";

const [port, pid, count = 200, mode = "length", holdMs = 20_000] = process.argv.slice(2).map((v, i) => (i === 3 ? v : Number(v)));
if (!port || !pid) {
  console.error("usage: held-posts.mjs <port> <server pid> [count] [length|chunked] [hold ms]");
  process.exit(1);
}
const SIZE = 10 * 1024 * 1024;
const piece = Buffer.alloc(64 * 1024, "a");
const rss = () => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024);
const answered = {};
const sockets = [];
const idle = rss();
let max = idle;

for (let i = 0; i < count; i++) {
  const s = connect({ host: "127.0.0.1", port });
  sockets.push(s);
  s.on("error", () => {});
  s.once("data", (d) => {
    const status = d.toString().slice(9, 12);
    answered[status] = (answered[status] ?? 0) + 1;
  });
  s.on("connect", async () => {
    s.write(
      `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\nContent-Type: text/plain\r\n` +
        (mode === "chunked" ? "Transfer-Encoding: chunked\r\n\r\n" : `Content-Length: ${SIZE}\r\n\r\n`),
    );
    for (let sent = 0; sent < SIZE - 1 && !s.destroyed; ) {
      const n = Math.min(piece.length, SIZE - 1 - sent);
      const data =
        mode === "chunked"
          ? Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), piece.subarray(0, n), Buffer.from("\r\n")])
          : piece.subarray(0, n);
      sent += n;
      if (!s.write(data))
        await new Promise((r) => {
          s.once("drain", r);
          s.once("close", r);
        });
    }
  });
}
const sampler = setInterval(() => (max = Math.max(max, rss())), 250);
setTimeout(() => {
  clearInterval(sampler);
  sockets.forEach((s) => s.destroy());
  console.log(
    `${count} held 10 MB POST /login (${mode}): server RSS ${idle} MB idle, ${max} MB at most; first answers ${JSON.stringify(answered)}`,
  );
  process.exit(0);
}, holdMs);
