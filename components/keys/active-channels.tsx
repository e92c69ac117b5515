import Link from "next/link";
import type { ActiveChannelDto } from "@/lib/data/channels";
import { CHANNEL_LABELS, type Channel } from "@/lib/keys/types";
import { ChannelActions } from "./channel-actions-menu";

/** "Your active API Channels": one row per active channel, with its "Actions" menu.
 * Rendered on the server; only each menu and its dialogs run in the browser. */
export function ActiveChannels({
  merchantId,
  channels,
  canManage,
  canChangeCredentials,
  hasTotp,
  generateHrefs,
}: {
  merchantId: string;
  channels: ActiveChannelDto[];
  canManage: boolean;
  canChangeCredentials: boolean;
  hasTotp: boolean;
  generateHrefs: Partial<Record<Channel, string>>;
}) {
  return (
    <section aria-labelledby="active-channels-heading" className="rounded-xl border border-slate-200 bg-white shadow-sm">
      <h3 id="active-channels-heading" className="border-b border-slate-100 px-4 py-3 text-sm font-semibold text-slate-900">
        Your active API Channels
      </h3>
      {channels.length ? (
        <ul aria-labelledby="active-channels-heading">
          {channels.map((c) => (
            <li
              key={c.channel}
              className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 px-4 py-3 first:border-t-0"
            >
              <div className="min-w-0">
                <p className="text-sm font-medium text-slate-900">{CHANNEL_LABELS[c.channel]}</p>
                <p className="text-xs text-slate-600">
                  {/* The channel is the account's, in both environments: say so, whatever the grid's filter. */}
                  {c.keys === 0
                    ? "No keys in either environment"
                    : c.keys === 1
                      ? "1 key, both environments"
                      : `${c.keys} keys, both environments`}
                  {c.ipAllowList.length
                    ? ` · IP Whitelist: ${c.ipAllowList.length} ${c.ipAllowList.length === 1 ? "entry" : "entries"}`
                    : " · Any address"}
                </p>
              </div>
              <div className="flex items-center gap-2">
                {c.keys === 0 && generateHrefs[c.channel] ? (
                  <Link href={generateHrefs[c.channel]!} className="text-sm font-medium text-brand-700 hover:underline">
                    Generate New Key<span className="sr-only"> for {CHANNEL_LABELS[c.channel]}</span>
                  </Link>
                ) : null}
                {canManage ? (
                  <ChannelActions merchantId={merchantId} channel={c} canChangeCredentials={canChangeCredentials} hasTotp={hasTotp} />
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="px-4 py-6 text-sm text-slate-600">No channel is active yet. A channel becomes active with its first key.</p>
      )}
    </section>
  );
}
