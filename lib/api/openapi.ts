import { z } from "zod";
import { ERROR_CODES, HTTP_STATUS } from "@/lib/core/errors";
import { SCOPE_LABELS, scopeFor, TOKEN_SCOPES } from "@/lib/tokens/scopes";
import type { Operation } from "./pipeline";
import { PROBLEM_TYPES } from "./problem";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";
import { problemDto, verifyError, verifyRequest, verifyResponse } from "./schemas";

// The OpenAPI 3.1 document, generated from the zod schemas the routes parse and answer with
// (zod 4's own JSON Schema output, which is OpenAPI 3.1's dialect). Named schemas (.meta({ id }))
// become components; nothing here is written by hand except the words around them.
type Json = Record<string, unknown>;

function collect(components: Json, schema: z.ZodType, io: "input" | "output"): Json {
  const out = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Json;
  const text = JSON.stringify(out).replaceAll('"#/$defs/', '"#/components/schemas/');
  const { $schema: _, $defs, ...rest } = JSON.parse(text) as Json & { $defs?: Json };
  Object.assign(components, $defs ?? {});
  return rest;
}

const PATH_PARAM = (name: string, description: string) => ({
  name,
  in: "path",
  required: true,
  description,
  schema: { type: "string", format: "uuid" },
});
const RATE_HEADERS = {
  "RateLimit-Limit": { description: "Requests allowed per window for this token.", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in this window.", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until the window resets.", schema: { type: "integer" } },
};
const problemRef = (description: string) => ({
  description,
  headers: RATE_HEADERS,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

/** A webhook event's body: what lib/webhooks/events.ts builds (named fields only, never a secret). */
const KEY_EVENT_SCHEMA = {
  type: "object",
  required: ["type", "timestamp", "data"],
  properties: {
    type: { type: "string", enum: [...WEBHOOK_EVENT_TYPES] },
    timestamp: { type: "string", format: "date-time" },
    data: {
      type: "object",
      required: ["keyId", "merchantId", "name", "status", "environment", "channel", "createdAt", "updatedAt", "expiresAt", "lastRotatedAt"],
      properties: {
        keyId: { type: "string", format: "uuid" },
        merchantId: { type: "string", format: "uuid" },
        name: { type: "string" },
        status: { type: "string", enum: ["ENABLED", "DISABLED", "REVOKED"] },
        environment: { type: "string", enum: ["sandbox", "production"] },
        channel: { type: "string" },
        createdAt: { type: "string", format: "date-time" },
        updatedAt: { type: "string", format: "date-time" },
        expiresAt: { type: "string", format: "date-time" },
        lastRotatedAt: { type: ["string", "null"], format: "date-time" },
        previousExpiresAt: {
          type: ["string", "null"],
          format: "date-time",
          description: "key.rotated, key.grace_extended: when the previous secret stops working.",
        },
        daysLeft: { type: "integer", description: "key.expiring: days until the key expires." },
        exposure: {
          type: "object",
          description: "key.exposed: where the secret was found, who reported it, and what the merchant's exposure policy did.",
          required: ["url", "source", "action"],
          properties: {
            url: { type: "string" },
            source: { type: "string", description: "The report's source (GitHub's `source`, or api, portal)." },
            action: { type: "string", enum: ["ALERT", "ROTATE", "REVOKE"] },
          },
        },
      },
    },
  },
};

/** The statuses any API operation may refuse with, from lib/core's code→status map and the API's own. */
function refusals(op: Operation): Json {
  const statuses = new Set<number>([401, 404, 429, ...ERROR_CODES.filter((c) => c !== "UNAUTHENTICATED").map((c) => HTTP_STATUS[c])]);
  if (op.method !== "GET" && op.method !== "DELETE") for (const s of [400, 415]) statuses.add(s);
  statuses.add(403);
  statuses.add(422);
  return Object.fromEntries(
    [...statuses].sort().map((s) => [
      String(s),
      s === 429
        ? {
            ...problemRef("Rate limited (see Retry-After)."),
            headers: { ...RATE_HEADERS, "Retry-After": { schema: { type: "integer" } } },
          }
        : problemRef(`Refused: see the problem's type.`),
    ]),
  );
}

function operationObject(op: Operation, components: Json): Json {
  const parameters: Json[] = [PATH_PARAM("merchantId", "The merchant the token belongs to.")];
  if (op.path.includes("{keyId}")) parameters.push(PATH_PARAM("keyId", "The API key."));
  if (op.query) {
    const q = collect(components, op.query, "input") as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      const { description, ...rest } = schema as Json;
      parameters.push({ name, in: "query", required: !!q.required?.includes(name), ...(description ? { description } : {}), schema: rest });
    }
  }
  if (op.method === "POST") {
    parameters.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description: "A repeat within 24 hours returns the first answer; the same key with another request is refused (422).",
      schema: { type: "string", minLength: 1, maxLength: 255 },
    });
  }
  const scope = scopeFor(op.permission);
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.path.includes("audit") ? "Audit" : "Keys"],
    security: [{ managementToken: [scope] }],
    "x-required-scope": scope,
    parameters,
    ...(op.body
      ? { requestBody: { required: false, content: { "application/json": { schema: collect(components, op.body, "input") } } } }
      : {}),
    responses: {
      [String(op.status ?? 200)]: {
        description: "Done.",
        headers: RATE_HEADERS,
        content: { "application/json": { schema: collect(components, op.response, "output") } },
      },
      ...refusals(op),
    },
  };
}

export function openApiDocument(operations: readonly Operation[]): Json {
  const components: Json = {};
  const paths: Record<string, Json> = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method.toLowerCase()] = operationObject(op, components);
  collect(components, problemDto, "output");
  paths["/api/v1/keys/verify"] = {
    post: {
      operationId: "verifyKey",
      summary: "Verify an API key",
      description:
        "Called by a merchant's backend with the key its client sent. Always 200 with an outcome for a key that could be read; a previous (grace) credential answers VALID with rotation.previousExpiresAt and a Sunset header.",
      tags: ["Verification"],
      security: [{}, { basicAuth: [] }],
      requestBody: { required: true, content: { "application/json": { schema: collect(components, verifyRequest, "input") } } },
      responses: {
        "200": { description: "The outcome.", content: { "application/json": { schema: collect(components, verifyResponse, "output") } } },
        ...Object.fromEntries(
          ["400", "401", "405", "413", "503"].map((s) => [
            s,
            { description: "Refused.", content: { "application/json": { schema: collect(components, verifyError, "output") } } },
          ]),
        ),
      },
    },
  };
  paths["/api/v1/secret-scanning/github"] = {
    post: {
      operationId: "githubSecretScanning",
      summary: "Report leaked keys (GitHub secret scanning partner endpoint)",
      description:
        "GitHub's secret scanning sends the tokens it found, signed with ECDSA P-256 over the raw body (Github-Public-Key-Identifier, Github-Public-Key-Signature: base64 DER) under a key from KEYPORT_GITHUB_KEYS_URL. Each token is answered by its SHA-256: true_positive for a live Keyport key (its merchant's exposure policy then runs: alert, rotate with a grace window, or revoke; a key.exposed webhook event is sent), false_positive otherwise. A bad signature is 401 and changes nothing; a replayed report acts once.",
      tags: ["Leaked keys"],
      security: [{}],
      parameters: [
        { name: "Github-Public-Key-Identifier", in: "header", required: true, schema: { type: "string" } },
        { name: "Github-Public-Key-Signature", in: "header", required: true, schema: { type: "string" } },
      ],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "array",
              minItems: 1,
              maxItems: 1000,
              items: {
                type: "object",
                required: ["token"],
                properties: { token: { type: "string" }, type: { type: "string" }, url: { type: "string" }, source: { type: "string" } },
              },
            },
          },
        },
      },
      responses: {
        "200": {
          description: "One label per token, in order.",
          content: {
            "application/json": {
              schema: {
                type: "array",
                items: {
                  type: "object",
                  required: ["token_hash", "token_type", "label"],
                  properties: {
                    token_hash: { type: "string", description: "SHA-256 of the token, hex." },
                    token_type: { type: "string" },
                    label: { type: "string", enum: ["true_positive", "false_positive"] },
                  },
                },
              },
            },
          },
        },
        "401": { description: "Not signed by a GitHub key." },
        "422": { description: "Not a report." },
      },
    },
  };
  // @keyport/verify's routes (lib/sdk/server.ts): a management token with the keys:verify scope.
  const sdkAuth = [{ managementToken: [] }];
  const sdkRefusals = {
    "401": {
      description: "No token, or not a live one.",
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    },
    "403": {
      description: "The token lacks keys:verify.",
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    },
  };
  paths["/api/v1/sdk/verify"] = {
    post: {
      operationId: "sdkVerify",
      summary: "Verify a key for an SDK's cache",
      description:
        "What @keyport/verify calls on a cache miss: the answer POST /api/v1/keys/verify would give for `ip` (the client's address), plus the credential's state to cache (null for another merchant's key, which is never handed out). Counted like any verification.",
      tags: ["Verification SDK"],
      security: sdkAuth,
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["key"],
              properties: { key: { type: "string" }, ip: { type: "string" }, permissions: { type: "array", items: { type: "string" } } },
            },
          },
        },
      },
      responses: {
        "200": {
          description: "The answer, the Sunset header's value, and the state to cache.",
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["result", "sunset", "state"],
                properties: {
                  result: { $ref: "#/components/schemas/VerifyResponse" },
                  sunset: { type: ["string", "null"] },
                  state: { type: ["object", "null"] },
                },
              },
            },
          },
        },
        ...sdkRefusals,
      },
    },
  };
  paths["/api/v1/keys/changes"] = {
    get: {
      operationId: "keyChanges",
      summary: "Stream of changed keys (Server-Sent Events)",
      description:
        "text/event-stream of this token's merchant only: `ready` when a fresh stream starts, `changed` with {keyIds} for every committed change that can alter a verification (revoke, disable, rotation, grace end, rollback, edit, delete…), `reset` when the client must drop its whole cache (its Last-Event-ID is older than the feed keeps). A comment heartbeat every 15 s. Resume with the Last-Event-ID header.",
      tags: ["Verification SDK"],
      security: sdkAuth,
      parameters: [{ name: "Last-Event-ID", in: "header", required: false, schema: { type: "string" } }],
      responses: {
        "200": { description: "The stream.", content: { "text/event-stream": { schema: { type: "string" } } } },
        ...sdkRefusals,
      },
    },
  };
  paths["/api/v1/sdk/usage"] = {
    post: {
      operationId: "sdkUsage",
      summary: "Report verifications answered from an SDK's cache",
      description:
        "Counts per credential since the last report, recorded as if verified here: the key's error rate, last use and client addresses, and a previous key's traffic. Credentials of other merchants are ignored.",
      tags: ["Verification SDK"],
      security: sdkAuth,
      requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["entries"] } } } },
      responses: {
        "200": {
          description: "How many verifications were recorded.",
          content: { "application/json": { schema: { type: "object", properties: { recorded: { type: "integer" } } } } },
        },
        ...sdkRefusals,
      },
    },
  };
  paths["/api/v1/openapi.json"] = {
    get: {
      operationId: "getOpenApiDocument",
      summary: "This document",
      tags: ["Documentation"],
      security: [{}],
      responses: { "200": { description: "The OpenAPI 3.1 document.", content: { "application/json": { schema: { type: "object" } } } } },
    },
  };
  components.KeyEvent = KEY_EVENT_SCHEMA;
  return {
    openapi: "3.1.0",
    info: {
      title: "Keyport API",
      version: "1.0.0",
      description:
        "The management API (keys and their lifecycle, with a management token) and the verification API. Errors are application/problem+json (RFC 9457) with a stable type per refusal.",
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "Keys", description: "The key lifecycle, through the same rules as the portal." },
      { name: "Audit", description: "Every change, with who made it." },
      { name: "Verification", description: "The hot path: is this key valid for this request?" },
      { name: "Leaked keys", description: "Reports of exposed secrets, from GitHub's secret scanning." },
      { name: "Verification SDK", description: "What @keyport/verify uses: a token with keys:verify." },
      { name: "Documentation" },
    ],
    paths,
    // What a merchant's endpoint receives: one Standard Webhooks POST per event it subscribes to.
    webhooks: Object.fromEntries(
      WEBHOOK_EVENT_TYPES.map((type) => [
        type,
        {
          post: {
            operationId: `webhook.${type}`,
            summary: `${type} event`,
            description:
              "Sent to a merchant's webhook endpoints (Standard Webhooks: webhook-id, webhook-timestamp and webhook-signature headers, signed with a secret derived from the endpoint's signing key). Answer 2xx; anything else is retried.",
            requestBody: {
              required: true,
              content: { "application/json": { schema: { $ref: "#/components/schemas/KeyEvent" } } },
            },
            responses: { "200": { description: "Received." } },
          },
        },
      ]),
    ),
    components: {
      schemas: components,
      securitySchemes: {
        managementToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "kpm_ + 32 base62 characters + a 6-character CRC32",
          description: `A management token made by an owner on the merchant's Management tokens page. Scopes: ${TOKEN_SCOPES.map((s) => `${s} (${SCOPE_LABELS[s]})`).join("; ")}.`,
        },
        basicAuth: { type: "http", scheme: "basic", description: "accessKey:secret, for keys with user-chosen credentials." },
      },
    },
    "x-problem-types": PROBLEM_TYPES,
  };
}
