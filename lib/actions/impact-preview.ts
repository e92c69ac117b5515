"use server";
import { impactRequestSchema } from "@/lib/keys/impact";
import { readImpact } from "@/lib/data/impact";
import { defineMerchantAction } from "./safe-action";

/** Read-only: the last 7 days of traffic an action would break, fetched when its dialog opens. */
export const impactPreviewAction = defineMerchantAction({
  permission: "keys.read",
  schema: impactRequestSchema,
  run: ({ actor, db, input }) => readImpact(db, actor.merchantId, input.keyIds, input.scope),
});
