import type { NextRequest } from "next/server";
import { keysCsvResponse } from "@/lib/data/key-export-route";

// The Developers tab's "Export CSV" and the bulk bar's "Export": the key inventory as a file,
// checked like the page (session, membership, role) and streamed in batches.
export async function GET(req: NextRequest, { params }: { params: Promise<{ merchantId: string }> }) {
  const { merchantId } = await params;
  return keysCsvResponse(merchantId, req.nextUrl.searchParams);
}
