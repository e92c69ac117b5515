import "server-only";
import { getDb } from "@/lib/db/client";
import { csvHeaders, csvStream } from "@/lib/csv/stream";
import { routeAccess } from "@/lib/csv/access";
import { AUDIT_CSV_COLUMNS, auditExportBatches, parseAuditQuery } from "./audit";

/** GET …/audit/audit.csv: the audit log with the page's filters, newest first, streamed. */
export async function auditCsvResponse(merchantId: string, sp: URLSearchParams): Promise<Response> {
  const gate = await routeAccess(merchantId, "audit.read");
  if ("error" in gate) return gate.error;
  const { page: _page, pageSize: _size, ...filters } = parseAuditQuery(Object.fromEntries(sp));
  const batches = auditExportBatches(await getDb(), merchantId, filters);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(csvStream(AUDIT_CSV_COLUMNS, batches), { headers: csvHeaders(`audit-log-${day}.csv`) });
}
