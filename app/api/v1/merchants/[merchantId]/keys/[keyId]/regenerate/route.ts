import { handle } from "@/lib/api/pipeline";
import { regenerateKeyOp } from "@/lib/api/operations";

export const POST = handle(regenerateKeyOp);
