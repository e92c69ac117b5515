import { handle } from "@/lib/api/pipeline";
import { revokeKeyOp } from "@/lib/api/operations";

export const POST = handle(revokeKeyOp);
