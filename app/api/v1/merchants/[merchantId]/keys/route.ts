import { handle } from "@/lib/api/pipeline";
import { listKeysOp, createKeyOp } from "@/lib/api/operations";

export const GET = handle(listKeysOp);
export const POST = handle(createKeyOp);
