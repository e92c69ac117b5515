import { handle } from "@/lib/api/pipeline";
import { rotateKeyOp } from "@/lib/api/operations";

export const POST = handle(rotateKeyOp);
