import "server-only";
import { getDb } from "@/lib/db/client";
import { CHANNELS, type Channel } from "@/lib/keys/types";
import { rotationState } from "@/lib/keys/rotation";

/** One row of "Your active API Channels". */
export interface ActiveChannelDto {
  channel: Channel;
  keys: number;
  ipAllowList: string[];
  /** Keys whose credentials "Change credentials" may replace now: rotationState's rotate answer (a rotation with "Now"). */
  changeable: { id: string; name: string; version: number }[];
}

/** The account's active channels (data on the account), in the usual channel order, with their key counts. */
export async function listActiveChannels(merchantId: string, opts: { changeable: boolean }, now = new Date()): Promise<ActiveChannelDto[]> {
  const db = await getDb();
  const [merchant, counts, settings, live] = await Promise.all([
    db.merchant.findUnique({ where: { id: merchantId }, select: { activeChannels: true } }),
    // Kept by a trigger on api_keys (key_counts): a few rows, not a pass over the inventory.
    db.keyCount.findMany({ where: { merchantId }, select: { channel: true, n: true } }),
    db.channelSetting.findMany({ where: { merchantId } }),
    // Only owners may change credentials: nobody else's page reads the keys for it.
    opts.changeable
      ? db.apiKey.findMany({
          where: { merchantId, status: { not: "REVOKED" } },
          orderBy: [{ createdAt: "desc" }, { id: "asc" }],
          select: {
            id: true,
            name: true,
            version: true,
            channel: true,
            status: true,
            expiresAt: true,
            credentials: { where: { slot: "PREVIOUS" }, select: { expiresAt: true, rotatedAt: true, graceExtended: true } },
          },
          take: 500,
        })
      : [],
  ]);
  const changeable = live.filter((k) => rotationState(k, k.credentials[0], now).rotate.ok);
  const active = new Set(merchant?.activeChannels ?? []);
  return CHANNELS.filter((c) => active.has(c)).map((channel) => ({
    channel,
    keys: counts.filter((r) => r.channel === channel).reduce((sum, r) => sum + r.n, 0),
    ipAllowList: settings.find((s) => s.channel === channel)?.ipAllowList ?? [],
    changeable: changeable.filter((k) => k.channel === channel).map(({ id, name, version }) => ({ id, name, version })),
  }));
}
