"use server";
import { ipAllowListActionSchema } from "@/lib/keys/schema";
import { setIpAllowList } from "@/lib/keys/services/update-key";
import { defineMerchantAction } from "./safe-action";

export const setIpAllowListAction = defineMerchantAction({
  permission: "keys.write",
  schema: ipAllowListActionSchema,
  run: ({ actor, db, input: { keyId, ...values } }) => setIpAllowList(db, actor, keyId, values),
  revalidate: "developers",
});
