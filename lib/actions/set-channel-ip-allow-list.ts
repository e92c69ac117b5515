"use server";
import { channelIpAllowListSchema } from "@/lib/keys/schema";
import { setChannelIpAllowList } from "@/lib/keys/services/channel-ip-allow-list";
import { defineMerchantAction } from "./safe-action";

export const setChannelIpAllowListAction = defineMerchantAction({
  permission: "keys.write",
  schema: channelIpAllowListSchema,
  run: ({ actor, db, input }) => setChannelIpAllowList(db, actor, input.channel, input.ipAllowList),
  revalidate: "developers",
});
