"use server";
import { z } from "zod";
import { defineMerchantAction } from "./safe-action";
import { verifyAuditChain } from "@/lib/audit/verify";

/** "Verify integrity": re-walks the merchant's audit chain and names the first broken row. */
export const verifyAuditChainAction = defineMerchantAction({
  permission: "audit.read",
  schema: z.strictObject({}),
  run: ({ actor, db }) => verifyAuditChain(db, actor.merchantId),
});
