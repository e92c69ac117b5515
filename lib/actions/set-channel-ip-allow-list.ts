"use server";
import { channelIpAllowListSchema } from "@/lib/keys/schema";
import { setChannelIpAllowList } from "@/lib/keys/services/channel-ip-allow-list";
import { defineMerchantAction } from "./safe-action";

// Called as setChannelIpAllowListAction(merchantId, { channel, ipAllowList }). The list reaches
// production keys too, so keys.write is asked without an environment (developers are refused).
export const setChannelIpAllowListAction = defineMerchantAction({
  permission: "keys.write",
  schema: channelIpAllowListSchema,
  run: ({ actor, db, input: { channel, ipAllowList } }) => setChannelIpAllowList(db, actor, channel, ipAllowList),
  revalidate: "developers",
});
