import { handle } from "@/lib/api/pipeline";
import { disableKeyOp } from "@/lib/api/operations";

export const POST = handle(disableKeyOp);
