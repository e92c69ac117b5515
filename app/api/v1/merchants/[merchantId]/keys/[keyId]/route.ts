import { handle } from "@/lib/api/pipeline";
import { getKeyOp, updateKeyOp, deleteKeyOp } from "@/lib/api/operations";

export const GET = handle(getKeyOp);
export const PATCH = handle(updateKeyOp);
export const DELETE = handle(deleteKeyOp);
