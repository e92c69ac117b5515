import { handle } from "@/lib/api/pipeline";
import { rollbackKeyOp } from "@/lib/api/operations";

export const POST = handle(rollbackKeyOp);
