// Test helpers for the management API: call a route's pipeline with a Request, exactly as Next
// would, and check every answer against the OpenAPI document.
import { Ajv2020 } from "ajv/dist/2020.js";
import { expect } from "vitest";
import { handle, type Operation } from "./pipeline";
import { openApiDocument } from "./openapi";
import { OPERATIONS } from "./operations";

export const SPEC = openApiDocument(OPERATIONS) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema(SPEC as object, "spec.json");
const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

/** The answer must be documented for this operation and status, and match its schema. */
export function expectMatchesSpec(op: Operation, status: number, contentType: string | null, body: unknown) {
  const documented = SPEC.paths[op.path]?.[op.method.toLowerCase()]?.responses ?? {};
  expect(Object.keys(documented), `${op.operationId} answered ${status}, which the spec does not list`).toContain(String(status));
  const type = (contentType ?? "").split(";")[0];
  const validate = ajv.getSchema(
    `spec.json#/${pointer("paths", op.path, op.method.toLowerCase(), "responses", String(status), "content", type, "schema")}`,
  );
  expect(validate, `${op.operationId} ${status}: no schema for ${type}`).toBeTruthy();
  const ok = validate!(body);
  if (type === "application/problem+json") {
    expect(
      (SPEC as unknown as { "x-problem-types": string[] })["x-problem-types"],
      `${op.operationId}: undocumented problem type`,
    ).toContain((body as { type: string }).type);
  }
  expect(ok, `${op.operationId} ${status}: ${JSON.stringify(validate!.errors)}\n${JSON.stringify(body).slice(0, 500)}`).toBe(true);
}

export interface CallOptions {
  token?: string;
  merchantId: string;
  keyId?: string;
  body?: unknown;
  rawBody?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

export async function callApi(op: Operation, o: CallOptions) {
  const path = op.path.replace("{merchantId}", o.merchantId).replace("{keyId}", o.keyId ?? "");
  const url = new URL(`http://localhost${path}`);
  for (const [k, v] of Object.entries(o.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers(o.headers);
  if (o.token) headers.set("authorization", `Bearer ${o.token}`);
  let body: string | undefined = o.rawBody;
  if (body === undefined && o.body !== undefined) {
    body = JSON.stringify(o.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const hasBody = op.method !== "GET" && op.method !== "DELETE";
  const req = new Request(url, { method: op.method, headers, body: hasBody ? body : undefined });
  const params: Record<string, string> = { merchantId: o.merchantId };
  if (op.path.includes("{keyId}")) params.keyId = o.keyId ?? "";
  const res = await handle(op)(req, { params: Promise.resolve(params) });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  expectMatchesSpec(op, res.status, res.headers.get("content-type"), json);
  return { status: res.status, body: json, headers: res.headers };
}
