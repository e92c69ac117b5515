import { handle } from "@/lib/api/pipeline";
import { extendGraceOp } from "@/lib/api/operations";

export const POST = handle(extendGraceOp);
