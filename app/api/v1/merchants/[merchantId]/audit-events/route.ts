import { handle } from "@/lib/api/pipeline";
import { listAuditEventsOp } from "@/lib/api/operations";

export const GET = handle(listAuditEventsOp);
