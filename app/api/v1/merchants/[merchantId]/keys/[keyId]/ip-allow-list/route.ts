import { handle } from "@/lib/api/pipeline";
import { setIpAllowListOp } from "@/lib/api/operations";

export const PUT = handle(setIpAllowListOp);
