import "server-only";
import http from "node:http";
import https from "node:https";
import { BlockedAddressError, guardedHttpAgent, guardedHttpsAgent } from "./safe-agent";
import { DELIVERY_TIMEOUT_MS, RESPONSE_KEPT_BYTES } from "./schedule";
import { PRIVATE_ADDRESS, type UrlPolicy } from "./url-safety";

export interface PostResult {
  /** The HTTP status, or null when no answer came (refused address, timeout, connection error). */
  statusCode: number | null;
  latencyMs: number;
  /** The first 1 kB of the answer. */
  body: string;
  error: string | null;
}

/**
 * POSTs one delivery. The agent checks the address each connection actually goes to, after DNS
 * (safe-agent.ts, with the save-time rule), so no lookup can switch it to a private one; redirects
 * are never followed (node:http does not); the answer is read only up to the 1 kB kept, then the
 * connection is closed, so a receiver that trickles a huge body costs neither memory nor time; the
 * whole exchange is cut at 10 s.
 */
export function postWebhook(url: string, headers: Record<string, string>, body: string, policy: UrlPolicy): Promise<PostResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve({ statusCode: null, latencyMs: 0, body: "", error: "Not a URL" });
    }
    const secure = target.protocol === "https:";
    if (!secure && (policy.production || target.protocol !== "http:"))
      return resolve({ statusCode: null, latencyMs: 0, body: "", error: "Only https:// URLs are allowed." });
    const agent = secure ? guardedHttpsAgent(policy) : guardedHttpAgent(policy);
    let settled = false;
    const done = (r: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      agent.destroy();
      resolve(r);
    };
    const req = (secure ? https : http).request(
      target,
      {
        method: "POST",
        agent,
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "Keyport-Webhooks/1",
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const finish = () =>
          done({
            statusCode: res.statusCode ?? null,
            latencyMs: latency(),
            body: Buffer.concat(chunks).toString("utf8").replaceAll("\u0000", ""),
            error: null,
          });
        res.on("data", (c: Buffer) => {
          chunks.push(c.subarray(0, RESPONSE_KEPT_BYTES - kept));
          kept += Math.min(c.length, RESPONSE_KEPT_BYTES - kept);
          if (kept < RESPONSE_KEPT_BYTES) return;
          finish(); // the rest is never read: the status and the first 1 kB are all that is kept
          res.destroy();
        });
        res.on("end", finish);
        res.on("error", finish);
        res.on("close", finish);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`No answer within ${DELIVERY_TIMEOUT_MS / 1000} s`)), DELIVERY_TIMEOUT_MS);
    req.on("error", (err) =>
      done({
        statusCode: null,
        latencyMs: latency(),
        body: "",
        error: err instanceof BlockedAddressError ? PRIVATE_ADDRESS : err.message.slice(0, 300),
      }),
    );
    req.end(body);
  });
}
