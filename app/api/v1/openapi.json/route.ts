import { openApiDocument } from "@/lib/api/openapi";
import { OPERATIONS } from "@/lib/api/operations";

// Public, like any API's reference: it describes the API, it holds nothing of a merchant.
let cached: string | undefined;

export function GET() {
  cached ??= JSON.stringify(openApiDocument(OPERATIONS));
  return new Response(cached, { headers: { "content-type": "application/json", "cache-control": "no-store" } });
}
