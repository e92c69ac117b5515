import "server-only";
import { getDb } from "@/lib/db/client";
import { csvHeaders, csvStream } from "@/lib/csv/stream";
import { routeAccess, textError } from "@/lib/csv/access";
import { KEY_CSV_COLUMNS, keyExportBatches, parseKeyExportFilter } from "./key-export";

/** GET …/developers/keys.csv: the key inventory with the grid's filters (and `ids`), streamed. */
export async function keysCsvResponse(merchantId: string, sp: URLSearchParams): Promise<Response> {
  const gate = await routeAccess(merchantId, "keys.read");
  if ("error" in gate) return gate.error;
  const parsed = parseKeyExportFilter(sp);
  if ("error" in parsed) return textError("VALIDATION", 400, parsed.error);
  const batches = keyExportBatches(await getDb(), merchantId, gate.access.role, parsed.filter);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(csvStream(KEY_CSV_COLUMNS, batches), { headers: csvHeaders(`api-keys-${day}.csv`) });
}
