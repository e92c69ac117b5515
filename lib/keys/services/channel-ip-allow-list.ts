import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/core/actor";
import { inTransaction } from "@/lib/core/transaction";
import { recordAudit } from "@/lib/audit/record";
import type { Channel } from "../types";
import { assertCan } from "./guards";
import { invalidateVerification } from "./record-change";

/**
 * The channel-wide IP allow-list ("IP Whitelist"): every key of the channel must match it as well
 * as its own list. It reaches production keys too, so it takes the right to edit those.
 */
export async function setChannelIpAllowList(db: Db | Tx, actor: Actor, channel: Channel, ipAllowList: string[], now = new Date()) {
  assertCan(actor, "keys.write", "production");
  return inTransaction(db, async (tx) => {
    const where = { merchantId_channel: { merchantId: actor.merchantId, channel } };
    const before = await tx.channelSetting.findUnique({ where });
    const saved = await tx.channelSetting.upsert({
      where,
      create: { merchantId: actor.merchantId, channel, ipAllowList, updatedAt: now },
      update: { ipAllowList, updatedAt: now },
    });
    // Every cached key of the channel is stale now: one feed row per key, in this transaction.
    const keys = await tx.apiKey.findMany({ where: { merchantId: actor.merchantId, channel }, select: { id: true } });
    await invalidateVerification(
      tx,
      keys.map((k) => k.id),
      "channel.ip_allow_list_updated",
    );
    await recordAudit(tx, actor, {
      merchantId: actor.merchantId,
      action: "channel.ip_allow_list_updated",
      before: { channel, ipAllowList: before?.ipAllowList ?? [] },
      after: { channel, ipAllowList: saved.ipAllowList },
    });
    return { ipAllowList: saved.ipAllowList };
  });
}
