// What the project's server checks before a request reaches Next.js or the verification API:
// the Host (DNS rebinding, outside production), the body size, and the shape of server-action
// bodies. Each refusal is a 4xx answered here, so Next never buffers or decodes what it refuses.
import type { IncomingMessage, ServerResponse } from "node:http";
import { isProduction } from "@/lib/env";
import { malformedActionBody } from "./action-body";
import { allowedHostNames, hostAllowed } from "./host-check";
import { bodyLimitFor, declaredTooLarge, hasBody, holdBody, maxBodyBytes, refuseTooLarge } from "./request-limits";

function answer(res: ServerResponse, status: number, error: string, message: string) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify({ error, message }));
}

export function edgeGuard(env: Record<string, string | undefined> = process.env) {
  const limit = maxBodyBytes(env);
  const hosts = isProduction() ? null : allowedHostNames(env);
  return {
    /**
     * Answers and returns true for a request that goes no further: an unknown Host (except on the
     * verification API, which is called server-to-server under any name), or a declared body
     * over the limit.
     */
    refuse(req: IncomingMessage, res: ServerResponse, verifyApi: boolean): boolean {
      if (hosts && !verifyApi && !hostAllowed(req.headers.host, hosts)) {
        answer(res, 421, "unknown_host", "This server does not answer under that host name.");
        return true;
      }
      const max = bodyLimitFor(req.url, limit);
      if (declaredTooLarge(req, max)) {
        refuseTooLarge(res, max);
        return true;
      }
      return false;
    },
    /**
     * Receives the body (at most the limit) before Next reads it, refuses a malformed
     * server-action body, then calls `next`. Call synchronously from the request listener.
     */
    withBody(req: IncomingMessage, res: ServerResponse, next: () => void) {
      if (!hasBody(req)) return next();
      const max = bodyLimitFor(req.url, limit);
      holdBody(
        req,
        max,
        (body) => {
          if (req.method !== "POST" || !req.headers["next-action"]) return next();
          malformedActionBody(body, req.headers["content-type"]).then(
            (bad) => {
              if (bad) answer(res, 400, "malformed_action_body", "The server action's arguments could not be read.");
              else next();
            },
            () => answer(res, 400, "malformed_action_body", "The server action's arguments could not be read."),
          );
        },
        () => refuseTooLarge(res, max),
      );
    },
  };
}
