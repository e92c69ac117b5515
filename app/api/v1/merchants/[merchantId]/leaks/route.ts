import { handle } from "@/lib/api/pipeline";
import { reportLeaksOp } from "@/lib/api/operations";

export const POST = handle(reportLeaksOp);
