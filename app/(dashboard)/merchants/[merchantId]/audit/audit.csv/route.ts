import type { NextRequest } from "next/server";
import { auditCsvResponse } from "@/lib/data/audit-export-route";

// The audit page's "Export CSV": the log with the page's filters, checked like the page and streamed.
export async function GET(req: NextRequest, { params }: { params: Promise<{ merchantId: string }> }) {
  const { merchantId } = await params;
  return auditCsvResponse(merchantId, req.nextUrl.searchParams);
}
