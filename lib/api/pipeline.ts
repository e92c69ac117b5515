import "server-only";
import type { z } from "zod";
import { getDb, type Db, type Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { isUuid } from "@/lib/core/ids";
import { authenticateToken, bearerOf, TOKEN_INVALID, touchToken } from "@/lib/tokens/authenticate";
import { hashToken, isTokenShape } from "@/lib/tokens/format";
import { scopeFor, scopesAllow, type ScopedPermission } from "@/lib/tokens/scopes";
import { apiProblem, problemOf } from "./problem";
import { takeRequest } from "./rate-limit";
import { claimIdempotencyKey, isIdempotencyKey, requestHashOf, storeAnswer } from "./idempotency";
import { errorMessage, logger } from "@/lib/core/log";

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** One operation of the management API: its route, what it needs, reads and answers, and the service it calls. */
export interface Operation<Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  operationId: string;
  method: Method;
  /** The OpenAPI path, e.g. /api/v1/merchants/{merchantId}/keys/{keyId}. */
  path: string;
  summary: string;
  description?: string;
  permission: ScopedPermission;
  query?: Q;
  body?: B;
  response: R;
  status?: 200 | 201;
  run: (ctx: { actor: Actor; db: Db | Tx; keyId: string; query: z.output<Q>; body: z.output<B> }) => Promise<z.input<R>>;
}

export const defineOperation = <Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(op: Operation<Q, B, R>) =>
  op as unknown as Operation;

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

class Refusal extends Error {
  constructor(readonly response: Response) {
    super("refused");
  }
}

const json = (status: number, body: string, headers: Record<string, string>) =>
  new Response(body, { status, headers: { ...headers, "content-type": "application/json", "cache-control": "no-store" } });

/** The body of a write: empty means {}, otherwise JSON (and said so) or a refusal. */
async function readBody(req: Request): Promise<{ raw: string; value: unknown }> {
  const raw = await req.text();
  if (!raw.trim()) return { raw, value: {} };
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type))
    throw new Refusal(apiProblem("unsupported-media-type", "Send the body as application/json."));
  try {
    return { raw, value: JSON.parse(raw) };
  } catch {
    throw new Refusal(apiProblem("malformed-request", "The body is not valid JSON."));
  }
}

/**
 * The route pipeline every management API route goes through, in this order: bearer token (and
 * its rate limit) -> the token's merchant -> scope -> input (zod) -> service, with the
 * Idempotency-Key's row first in the change's own transaction -> problem+json for any refusal.
 * Cookies are never read: without a token nothing happens, so a cross-site request cannot act.
 */
export function handle(op: Operation) {
  return async (req: Request, ctx: RouteContext): Promise<Response> => {
    let rate: Record<string, string> = {};
    try {
      const params = await ctx.params;
      const token = bearerOf(req.headers.get("authorization"));
      if (!isTokenShape(token)) throw new AppError("UNAUTHENTICATED", { message: TOKEN_INVALID });
      const decision = await takeRequest(hashToken(token));
      rate = decision.headers;
      if (!decision.allowed)
        return apiProblem("rate-limited", "This token sent too many requests. Retry after the time in Retry-After.", rate);
      const db = await getDb();
      const meta = { clientIp: req.headers.get("x-keyport-client-ip"), userAgent: req.headers.get("user-agent")?.slice(0, 300) ?? null };
      const auth = await authenticateToken(db, token, String(params.merchantId ?? ""), meta);
      if (!scopesAllow(auth.scopes, op.permission)) {
        return apiProblem("insufficient-scope", `This needs a token with the ${scopeFor(op.permission)} scope.`, rate);
      }
      touchToken(db, auth.tokenId, auth.lastUsedAt).catch((err) =>
        logger().error({ area: "api", err: errorMessage(err) }, "token last use not recorded"),
      );
      const keyId = typeof params.keyId === "string" ? params.keyId : "";
      if ("keyId" in params && !isUuid(keyId)) throw new AppError("NOT_FOUND");
      const idemKey = op.method === "POST" ? req.headers.get("idempotency-key") : null;
      if (idemKey !== null && !isIdempotencyKey(idemKey))
        return apiProblem("idempotency-key-invalid", "Use 1–255 visible ASCII characters, e.g. a UUID.", rate);
      const url = new URL(req.url);
      const query = op.query ? op.query.parse(Object.fromEntries(url.searchParams)) : {};
      const { raw, value } = op.method === "GET" || op.method === "DELETE" ? { raw: "", value: {} } : await readBody(req);
      const body = op.body ? op.body.parse(value) : {};
      const status = op.status ?? 200;
      const run = (dbOrTx: Db | Tx) => op.run({ actor: auth.actor, db: dbOrTx, keyId, query, body });

      if (idemKey === null) return json(status, JSON.stringify(await run(db)), rate);
      const hash = requestHashOf(op.method, url.pathname + url.search, raw);
      return await db.$transaction(
        async (tx) => {
          const claim = await claimIdempotencyKey(tx, auth.tokenId, token, idemKey, hash);
          if (claim.kind === "mismatch") {
            throw new Refusal(apiProblem("idempotency-key-reused", "This Idempotency-Key was already used with another request.", rate));
          }
          if (claim.kind === "replay") return json(claim.status, claim.body, { ...rate, "idempotent-replayed": "true" });
          const answer = JSON.stringify(await run(tx));
          await storeAnswer(tx, claim.id, token, idemKey, status, answer);
          return json(status, answer, rate);
        },
        { timeout: 15_000, maxWait: 15_000 },
      );
    } catch (err) {
      if (err instanceof Refusal) {
        for (const [k, v] of Object.entries(rate)) err.response.headers.set(k, v);
        return err.response;
      }
      return problemOf(err, rate);
    }
  };
}
