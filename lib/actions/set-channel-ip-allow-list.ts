"use server";
import { revalidatePath } from "next/cache";
import { channelIpAllowListSchema } from "@/lib/keys/schema";
import { setChannelIpAllowList } from "@/lib/keys/services/channel-ip-allow-list";
import { merchantAction, type ActionResult } from "./safe-action";

export async function setChannelIpAllowListAction(merchantId: string, input: unknown): Promise<ActionResult<{ ipAllowList: string[] }>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const { channel, ipAllowList } = channelIpAllowListSchema.parse(input);
    const res = await setChannelIpAllowList(db, actor, channel, ipAllowList);
    revalidatePath(`/merchants/${merchantId}/developers`, "layout");
    return res;
  });
}
