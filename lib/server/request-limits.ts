// Limits the project's server applies before Next.js sees a request. Next's proxy buffers up to
// 10 MB of any POST, so 200 held 10 MB bodies cost gigabytes: bodies are refused over a small
// limit here, slow clients are timed out, and one address cannot hold every file descriptor.
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from "node:http";
import { readFileSync } from "node:fs";

/** No form or action of the portal sends more (see bodyLimitFor); the verification API has its own, smaller limit. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;

const positive = (v: string | undefined, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};
export const maxBodyBytes = (env: Record<string, string | undefined> = process.env) =>
  positive(env.KEYPORT_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES);

/** Routes that need more: bulk rotation on Credentials Details sends up to 1,000 key ids with versions. */
const LARGER: { path: RegExp; bytes: number }[] = [
  { path: /^\/merchants\/[^/?#]+\/developers\/credentials(?:[?#]|$)/, bytes: 256 * 1024 },
  // GitHub's secret scanning sends up to 1,000 tokens with their URLs in one report.
  { path: /^\/api\/v1\/secret-scanning\/github(?:[?#]|$)/, bytes: 1024 * 1024 },
];
export const bodyLimitFor = (url: string | undefined, limit: number) =>
  Math.max(limit, ...LARGER.filter((l) => l.path.test(url ?? "")).map((l) => l.bytes));
export const maxConnectionsPerAddress = (env: Record<string, string | undefined> = process.env) =>
  positive(env.KEYPORT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);

/** For createServer: headers within 15 s, the whole request within 30 s, checked every 5 s. */
export const SERVER_OPTIONS: ServerOptions = { headersTimeout: 15_000, requestTimeout: 30_000, connectionsCheckingInterval: 5_000 };

export const hasBody = (req: IncomingMessage) =>
  req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;

/** A declared Content-Length over the limit is refused before a byte of the body is read. */
export const declaredTooLarge = (req: IncomingMessage, limit: number) => Number(req.headers["content-length"] ?? 0) > limit;

export function refuseTooLarge(res: ServerResponse, limit: number) {
  if (res.headersSent) return void res.destroy();
  // Closing the connection is the only way to stop a client mid-body.
  res.writeHead(413, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", connection: "close" });
  res.end(JSON.stringify({ error: "body_too_large", message: `The body must be at most ${limit} bytes.` }));
}

/**
 * Receives the whole body (at most `limit` bytes, counted as chunks arrive, so a chunked body is
 * cut off too) before anyone reads it, then hands it back to the request for Next to read as
 * usual (`handBack: false`: the request stream just ends, for a handler that only needs the
 * bytes). Must be called synchronously in the request listener, before the body is parsed: the
 * HTTP parser delivers each chunk through req.push.
 */
export function holdBody(
  req: IncomingMessage,
  limit: number,
  onBody: (body: Buffer) => void,
  onTooLarge: () => void,
  { handBack = true }: { handBack?: boolean } = {},
) {
  const push = req.push;
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (over) return true; // discarded: the connection is closing
    if (chunk === null) {
      req.push = push;
      if (handBack) for (const c of chunks) push.call(req, c);
      push.call(req, null);
      onBody(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      return false;
    }
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, encoding);
    size += buf.length;
    if (size > limit) {
      over = true;
      chunks.length = 0;
      onTooLarge();
      return true;
    }
    chunks.push(buf);
    return true;
  };
}

/** The soft limit on open files (Linux), or a conservative guess elsewhere. */
export function openFileLimit(read = () => readFileSync("/proc/self/limits", "utf8")): number {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(read());
    if (m) return Number(m[1]);
  } catch {
    /* not Linux */
  }
  return 1024;
}

/**
 * Sheds connections instead of running out of file descriptors: at most `perAddress` open
 * connections per client address (a trusted proxy is exempt: all its clients share it), and in
 * all at most the open-file limit less a reserve for the database, logs and the build's files.
 */
export function limitConnections(server: Server, perAddress: number, isProxy: (address: string) => boolean, fileLimit = openFileLimit()) {
  server.maxConnections = Math.max(64, fileLimit - 512);
  const open = new Map<string, number>();
  server.on("connection", (socket) => {
    const address = socket.remoteAddress ?? "";
    if (isProxy(address)) return;
    const n = (open.get(address) ?? 0) + 1;
    if (n > perAddress) return void socket.destroy();
    open.set(address, n);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
  return open;
}
