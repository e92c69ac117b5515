import type { IncomingMessage, ServerResponse } from "node:http";
import type { VerifyResult } from "./state.js";
import type { Verifier, VerifyOptions } from "./verifier.js";
import { KeyportUnavailableError } from "./verifier.js";

export interface MiddlewareOptions {
  /** Permissions every request through this middleware needs. */
  permissions?: readonly string[];
  /** The client's address (default: the socket's, or what your framework resolved, e.g. Express's req.ip). */
  ip?: (req: IncomingMessage & { ip?: string }) => string | undefined;
}

/** The refusal a request without a valid key gets: 401 (403 for a key without the permissions), JSON. */
function refusal(result: VerifyResult | null): { status: number; body: { error: string; message: string } } {
  if (!result) return { status: 401, body: { error: "MISSING_KEY", message: "Send the API key as Authorization: Bearer <key>." } };
  const status =
    result.outcome === "INSUFFICIENT_PERMISSIONS" || result.outcome === "IP_NOT_ALLOWED"
      ? 403
      : result.outcome === "RATE_LIMITED"
        ? 429
        : 401;
  return { status, body: { error: result.outcome, message: `The API key was refused: ${result.outcome}.` } };
}
const unavailable = { error: "KEY_VERIFICATION_UNAVAILABLE", message: "The API key could not be checked. Retry shortly." };

/**
 * Express and Connect: `app.use(keyport(verifier))`. Sets `req.keyport` to the answer (the same
 * fields as POST /api/v1/keys/verify), answers 401/403 JSON for a missing or refused key and 503
 * when Keyport cannot be reached (failMode "closed"), and passes a `Sunset` header on to the
 * client of a previous key in its grace window.
 */
export function keyport(verifier: Verifier, options: MiddlewareOptions = {}) {
  return (req: IncomingMessage & { keyport?: VerifyResult; ip?: string }, res: ServerResponse, next: (err?: unknown) => void) => {
    const o: VerifyOptions = { ip: options.ip ? options.ip(req) : (req.ip ?? req.socket.remoteAddress), permissions: options.permissions };
    verifier.verifyAuthorization(req.headers.authorization, o).then(
      (result) => {
        if (result) req.keyport = result;
        if (result?.sunset) res.setHeader("Sunset", result.sunset);
        if (result?.valid) return next();
        const r = refusal(result);
        res.writeHead(r.status, { "content-type": "application/json" }).end(JSON.stringify(r.body));
      },
      (err) => {
        if (err instanceof KeyportUnavailableError) {
          res.writeHead(503, { "content-type": "application/json", "retry-after": "1" }).end(JSON.stringify(unavailable));
        } else next(err);
      },
    );
  };
}

/**
 * Fetch-API handlers (Next.js route handlers, Hono, Bun, Deno): the answer for a Request, or
 * the Response to send instead when the key is missing or refused.
 */
export async function verifyRequest(
  verifier: Verifier,
  request: Request,
  options: { ip?: string; permissions?: readonly string[] } = {},
): Promise<{ ok: true; keyport: VerifyResult } | { ok: false; response: Response }> {
  try {
    const result = await verifier.verifyAuthorization(request.headers.get("authorization"), options);
    if (result?.valid) return { ok: true, keyport: result };
    const r = refusal(result);
    return { ok: false, response: Response.json(r.body, { status: r.status }) };
  } catch (err) {
    if (err instanceof KeyportUnavailableError)
      return { ok: false, response: Response.json(unavailable, { status: 503, headers: { "retry-after": "1" } }) };
    throw err;
  }
}

/**
 * A Next.js route handler (or any `(request, context) => Response`) that runs only for a valid
 * key, with the answer as `context.keyport`:
 *   export const GET = withKeyport(verifier, async (req, { keyport }) => Response.json({ merchant: keyport.merchantId }));
 */
export function withKeyport<C extends object>(
  verifier: Verifier,
  handler: (request: Request, context: C & { keyport: VerifyResult }) => Response | Promise<Response>,
  options: { permissions?: readonly string[]; ip?: (request: Request) => string | undefined } = {},
) {
  return async (request: Request, context: C = {} as C): Promise<Response> => {
    const v = await verifyRequest(verifier, request, { ip: options.ip?.(request), permissions: options.permissions });
    if (!v.ok) return v.response;
    const response = await handler(request, { ...context, keyport: v.keyport });
    if (v.keyport.sunset && !response.headers.has("sunset")) {
      try {
        response.headers.set("Sunset", v.keyport.sunset);
      } catch {
        // an immutable Response: left as it is
      }
    }
    return response;
  };
}

/**
 * Hono: `app.use("/api/*", keyportHono(verifier))`, then `c.get("keyport")` in handlers. The
 * client address comes from `options.ip(c)` (e.g. hono/conninfo's getConnInfo(c).remote.address).
 */
export function keyportHono<
  Ctx extends { req: { raw: Request }; set: (key: "keyport", value: VerifyResult) => void; header: (name: string, value: string) => void },
>(verifier: Verifier, options: { permissions?: readonly string[]; ip?: (c: Ctx) => string | undefined } = {}) {
  return async (c: Ctx, next: () => Promise<void>): Promise<Response | undefined> => {
    const v = await verifyRequest(verifier, c.req.raw, { ip: options.ip?.(c), permissions: options.permissions });
    if (!v.ok) return v.response;
    c.set("keyport", v.keyport);
    if (v.keyport.sunset) c.header("Sunset", v.keyport.sunset);
    await next();
    return undefined;
  };
}
