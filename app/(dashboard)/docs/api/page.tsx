import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { openApiDocument } from "@/lib/api/openapi";
import { OPERATIONS } from "@/lib/api/operations";
import { ScrollRegion } from "@/components/ui/scroll-region";

export const metadata: Metadata = { title: "API reference" };

type Json = Record<string, unknown>;
type Op = {
  operationId: string;
  summary: string;
  description?: string;
  "x-required-scope"?: string;
  parameters?: Json[];
  requestBody?: Json;
  responses: Record<string, Json>;
};

const METHOD_TONE = { get: "blue", post: "green", patch: "amber", put: "amber", delete: "red" } as const;
const refName = (schema: unknown) => {
  const s = JSON.stringify(schema ?? {});
  return /"\$ref":"#\/components\/schemas\/(\w+)"/.exec(s)?.[1] ?? null;
};

/** The content type an operation's refusals come as (problem+json for the management API). */
const refusalType = (op: Op) =>
  Object.keys(
    (Object.entries(op.responses).find(([s]) => !s.startsWith("2"))?.[1] as { content?: Record<string, unknown> } | undefined)?.content ??
      {},
  )[0] ?? "application/json";

/** The OpenAPI document, rendered on the server: no script, no asset from anywhere else. */
export default function ApiReferencePage() {
  const doc = openApiDocument(OPERATIONS) as {
    info: Json;
    paths: Record<string, Record<string, Op>>;
    components: { schemas: Json };
    "x-problem-types": string[];
  };
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">API reference</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">{String(doc.info.description)}</p>
        <p className="mt-2 text-sm">
          <a href="/api/v1/openapi.json" className="font-medium text-brand-700 hover:underline">
            OpenAPI 3.1 document (JSON)
          </a>
        </p>
      </div>
      <section aria-labelledby="auth-heading" className="space-y-2 text-sm text-slate-700">
        <h2 id="auth-heading" className="text-lg font-semibold text-slate-900">
          Authentication and errors
        </h2>
        <p className="max-w-3xl">
          Send <code className="font-mono text-xs">Authorization: Bearer kpm_…</code>, a token an owner creates on a merchant&apos;s
          Management tokens tab. Every POST takes an optional <code className="font-mono text-xs">Idempotency-Key</code>. Refusals are{" "}
          <code className="font-mono text-xs">application/problem+json</code> with one of these types:
        </p>
        <ul className="flex max-w-4xl flex-wrap gap-1">
          {doc["x-problem-types"].map((t) => (
            <li key={t}>
              <code className="break-all rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{t}</code>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="ops-heading" className="space-y-4">
        <h2 id="ops-heading" className="text-lg font-semibold">
          Operations
        </h2>
        {ops.map(({ path, method, op }) => {
          const success = Object.entries(op.responses).find(([s]) => s.startsWith("2"));
          const refusals = Object.keys(op.responses).filter((s) => !s.startsWith("2"));
          const body = (op.requestBody as { content?: { "application/json"?: { schema?: unknown } } } | undefined)?.content?.[
            "application/json"
          ]?.schema;
          return (
            <article
              key={op.operationId}
              id={op.operationId}
              aria-labelledby={`${op.operationId}-h`}
              className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
            >
              <h3 id={`${op.operationId}-h`} className="flex flex-wrap items-center gap-2 text-sm">
                <Badge tone={METHOD_TONE[method as keyof typeof METHOD_TONE] ?? "slate"}>{method.toUpperCase()}</Badge>
                <code className="break-all font-mono text-slate-900">{path}</code>
                <span className="font-semibold text-slate-800">{op.summary}</span>
              </h3>
              {op.description ? <p className="mt-2 text-sm text-slate-600">{op.description}</p> : null}
              <dl className="mt-3 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
                {op["x-required-scope"] ? (
                  <>
                    <dt className="text-slate-500">Scope</dt>
                    <dd>
                      <code className="font-mono text-xs">{op["x-required-scope"]}</code>
                    </dd>
                  </>
                ) : null}
                {op.parameters?.length ? (
                  <>
                    <dt className="text-slate-500">Parameters</dt>
                    <dd className="min-w-0 break-words font-mono text-xs">
                      {op.parameters.map((p) => `${String(p.name)} (${String(p.in)}${p.required ? ", required" : ""})`).join(" · ")}
                    </dd>
                  </>
                ) : null}
                {body ? (
                  <>
                    <dt className="text-slate-500">Body</dt>
                    <dd>
                      {refName(body) ? (
                        <a href={`#schema-${refName(body)}`} className="text-brand-700 hover:underline">
                          {refName(body)}
                        </a>
                      ) : (
                        <code className="break-all font-mono text-xs">{JSON.stringify(body).slice(0, 300)}</code>
                      )}
                    </dd>
                  </>
                ) : null}
                {success ? (
                  <>
                    <dt className="text-slate-500">Answer</dt>
                    <dd>
                      {success[0]}{" "}
                      {refName(success[1]) ? (
                        <a href={`#schema-${refName(success[1])}`} className="text-brand-700 hover:underline">
                          {refName(success[1])}
                        </a>
                      ) : null}
                    </dd>
                  </>
                ) : null}
                {refusals.length ? (
                  <>
                    <dt className="text-slate-500">Refusals</dt>
                    <dd className="text-xs text-slate-700">
                      {refusals.join(", ")} as {refusalType(op)}
                    </dd>
                  </>
                ) : null}
              </dl>
            </article>
          );
        })}
      </section>
      <section aria-labelledby="schemas-heading" className="space-y-4">
        <h2 id="schemas-heading" className="text-lg font-semibold">
          Schemas
        </h2>
        {Object.entries(doc.components.schemas).map(([name, schema]) => (
          <details key={name} id={`schema-${name}`} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <summary className="cursor-pointer font-mono text-sm font-semibold">{name}</summary>
            <ScrollRegion label={`${name} schema`} className="mt-3 overflow-x-auto rounded bg-slate-50">
              <pre className="p-3 text-xs">{JSON.stringify(schema, null, 2)}</pre>
            </ScrollRegion>
          </details>
        ))}
      </section>
    </div>
  );
}
