"use server";
import { ipAllowListActionSchema } from "@/lib/keys/schema";
import { setIpAllowList } from "@/lib/keys/services/update-key";
import { defineMerchantAction } from "./safe-action";

// Called as setIpAllowListAction(merchantId, keyId, { ipAllowList, version }).
export const setIpAllowListAction = defineMerchantAction({
  permission: "keys.write",
  schema: ipAllowListActionSchema,
  keyIdArgument: true,
  run: ({ actor, db, input: { keyId, ...values } }) => setIpAllowList(db, actor, keyId, values),
  revalidate: "developers",
});
