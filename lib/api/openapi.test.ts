import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { responseFor } from "@/lib/verify/decide";
import { VERIFY_PATH } from "@/lib/verify/handler";
import { CHANGES_PATH, SDK_USAGE_PATH, SDK_VERIFY_PATH } from "@/lib/sdk/server";
import type { KeyState } from "@/lib/verify/types";
import { isBearerOnlyApi } from "@/lib/server/security-headers";
import { GET as openApiRoute } from "@/app/api/v1/openapi.json/route";
import * as ops from "./operations";
import type { Operation } from "./pipeline";
import { PROBLEM_TYPES } from "./problem";
import { SPEC } from "./testing";
import { eventExtras, keyEventPayload, WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";

const ROOT = join(process.cwd(), "app/api/v1");
function routeFiles(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? routeFiles(p) : f === "route.ts" ? [p] : [];
  });
}
/** app/api/v1/merchants/[merchantId]/keys/route.ts → /api/v1/merchants/{merchantId}/keys */
const pathOf = (file: string) =>
  `/api/v1/${relative(ROOT, file)}`
    .replace(/\/route\.ts$/, "")
    .replace(/\[(\w+)\]/g, "{$1}")
    .replace(/\/$/, "");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const byName = ops as unknown as Record<string, Operation>;

describe("the OpenAPI document covers the routes, and only them", () => {
  const fromFiles = routeFiles().flatMap((file) => {
    const text = readFileSync(file, "utf8");
    return [...text.matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b(?: = handle\((\w+)\))?/g)].map(
      (m) => ({
        file,
        route: `${m[1]} ${pathOf(file)}`,
        op: m[2],
      }),
    );
  });
  const inSpec = Object.entries(SPEC.paths).flatMap(([path, methods]) =>
    Object.keys(methods)
      .filter((m) => METHODS.includes(m.toUpperCase()))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );

  it("every route file's handler is a spec operation, and every spec operation a route", () => {
    expect(fromFiles.length).toBeGreaterThanOrEqual(16);
    // The verification API and the SDK's routes are served by the project's server before Next.js
    // (lib/verify, lib/sdk), not by route files.
    const served = [
      ...fromFiles.map((f) => f.route),
      `POST ${VERIFY_PATH}`,
      `POST ${SDK_VERIFY_PATH}`,
      `POST ${SDK_USAGE_PATH}`,
      `GET ${CHANGES_PATH}`,
    ].sort();
    expect(served).toEqual([...inSpec].sort());
  });

  it("each route file hands its method and path to the operation declaring them", () => {
    for (const f of fromFiles.filter((x) => x.op)) {
      const op = byName[f.op!];
      expect(op, f.op).toBeTruthy();
      expect(`${op.method} ${op.path}`, f.file).toBe(f.route);
    }
    const wired = new Set(fromFiles.map((f) => f.op).filter(Boolean));
    for (const op of ops.OPERATIONS)
      expect(wired, `${op.operationId} has no route file`).toContain(Object.keys(byName).find((k) => byName[k] === op));
  });

  it("is OpenAPI 3.1 with unique operation ids, every $ref resolving, and every schema compiling", () => {
    const spec = SPEC as unknown as { openapi: string; components: { schemas: Record<string, unknown> } };
    expect(spec.openapi).toBe("3.1.0");
    const ids = Object.values(SPEC.paths).flatMap((m) =>
      Object.values(m).map((o) => (o as unknown as { operationId: string }).operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
    const text = JSON.stringify(SPEC);
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g))
      expect(spec.components.schemas, name).toHaveProperty(name);
    expect(text).not.toContain("$defs");
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema(SPEC as object, "spec.json");
    for (const name of Object.keys(spec.components.schemas))
      expect(ajv.getSchema(`spec.json#/components/schemas/${name}`), name).toBeTruthy();
    // Each operation names its scope, and the key secret appears only in the answers that issue one.
    for (const op of ops.OPERATIONS) {
      const o = SPEC.paths[op.path][op.method.toLowerCase()] as unknown as { "x-required-scope": string };
      expect(o["x-required-scope"]).toMatch(/^(keys|audit):(read|write|rotate|delete)$/);
    }
    expect(PROBLEM_TYPES).toContain("urn:keyport:problem:not-found");
  });

  it("is served at /api/v1/openapi.json", async () => {
    const res = openApiRoute();
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(SPEC)));
  });

  it("describes the verification API's answers as lib/verify gives them", () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema(SPEC as object, "spec.json");
    const validate = ajv.getSchema("spec.json#/components/schemas/VerifyResponse")!;
    const state: KeyState = {
      keyId: "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
      merchantId: "3f2504e0-4f89-11d3-9a0c-0305e82c3302",
      environment: "production",
      channel: "REST",
      status: "ENABLED",
      permissions: ["payments:read"],
      ipAllowList: [],
      expiresAt: Date.now() + 3600_000,
      credentialId: "c",
      slot: "PREVIOUS",
      credentialExpiresAt: Date.now() + 60_000,
    };
    for (const body of [
      responseFor("NOT_FOUND", null),
      responseFor("MALFORMED", null),
      responseFor("VALID", state),
      responseFor("DISABLED", state),
    ]) {
      expect(validate(JSON.parse(JSON.stringify(body))), JSON.stringify(validate.errors)).toBe(true);
    }
    expect(responseFor("VALID", state).rotation).toBeDefined();
  });
});

describe("the webhook events", () => {
  it("are all in the document's webhooks, and the bodies lib/webhooks builds (key.exposed with its exposure) match KeyEvent", () => {
    const webhooks = (SPEC as unknown as { webhooks: Record<string, unknown> }).webhooks;
    expect(Object.keys(webhooks)).toEqual([...WEBHOOK_EVENT_TYPES]);
    expect(webhooks).toHaveProperty("key.exposed");
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema(SPEC as object, "spec.json");
    const validate = ajv.getSchema("spec.json#/components/schemas/KeyEvent")!;
    const row = {
      id: "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
      merchantId: "3f2504e0-4f89-11d3-9a0c-0305e82c3302",
      name: "Checkout",
      status: "ENABLED",
      environment: "production",
      channel: "REST",
      createdAt: new Date(),
      updatedAt: new Date(),
      expiresAt: new Date(),
      lastRotatedAt: null,
    };
    const exposedAfter = { url: "https://github.com/acme/shop", source: "content", policy: "ROTATE", graceHours: 24 };
    const exposed = keyEventPayload("key.exposed", row, new Date(), eventExtras(exposedAfter));
    expect(exposed.data.exposure).toEqual({ url: "https://github.com/acme/shop", source: "content", action: "ROTATE" });
    const rotated = keyEventPayload("key.rotated", row, new Date(), eventExtras({ previousExpiresAt: new Date().toISOString() }));
    expect(rotated.data).not.toHaveProperty("exposure");
    for (const body of [exposed, rotated]) expect(validate(JSON.parse(JSON.stringify(body))), JSON.stringify(validate.errors)).toBe(true);
    // And a body that breaks the schema is caught (the check can fail).
    expect(validate({ ...exposed, data: { ...exposed.data, exposure: { url: 1 } } })).toBe(false);
  });
});

describe("the same-origin rule does not apply to the bearer-only management API", () => {
  it("exempts only its routes, never a server action, the verification API or a path that could be normalised", () => {
    const id = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
    expect(isBearerOnlyApi(`/api/v1/merchants/${id}/keys`, {})).toBe(true);
    expect(isBearerOnlyApi(`/api/v1/merchants/${id}/keys/${id}/rotate?x=%20`, {})).toBe(true);
    expect(isBearerOnlyApi(`/api/v1/merchants/${id}/audit-events`, {})).toBe(true);
    // GitHub's secret scanning: authenticated by its signature, never by a cookie.
    expect(isBearerOnlyApi("/api/v1/secret-scanning/github", {})).toBe(true);
    for (const url of [
      "/api/v1/secret-scanning/github/",
      "/api/v1/secret-scanning/github/../../keys/verify",
      "/api/v1/keys/verify",
      `/api/v1/merchants/${id}/../../auth/callback/credentials`,
      `/api/v1/merchants/${id}/keys/%2e%2e/x`,
      `/api/v1/merchants/${id}//keys`,
      "/api/v1/openapi.json",
      `/merchants/${id}/developers`,
      "/api/auth/callback/credentials",
      undefined,
    ])
      expect(isBearerOnlyApi(url, {}), String(url)).toBe(false);
    expect(isBearerOnlyApi(`/api/v1/merchants/${id}/keys`, { "next-action": "abc" })).toBe(false);
    expect(isBearerOnlyApi("/api/v1/secret-scanning/github", { "next-action": "abc" })).toBe(false);
  });
});
