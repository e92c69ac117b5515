import { handle } from "@/lib/api/pipeline";
import { duplicateKeyOp } from "@/lib/api/operations";

export const POST = handle(duplicateKeyOp);
