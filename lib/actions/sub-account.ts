"use server";
import { subAccountSchema } from "@/lib/members/schema";
import { createSubAccount } from "@/lib/merchants/service";
import { defineMerchantAction } from "./safe-action";

/** merchantId is the master account the sub-account goes under. */
export const createSubAccountAction = defineMerchantAction({
  permission: "merchants.write",
  schema: subAccountSchema,
  run: ({ actor, db, input }) => createSubAccount(db, actor, input),
  revalidate: "merchants",
});
