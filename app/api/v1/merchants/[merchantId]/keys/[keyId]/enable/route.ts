import { handle } from "@/lib/api/pipeline";
import { enableKeyOp } from "@/lib/api/operations";

export const POST = handle(enableKeyOp);
