import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { CHANNELS, CHANNEL_LABELS, type Channel } from "@/lib/keys/types";

/**
 * The Developers tab's channel groups: one card per channel with its key count, a link that shows
 * only that channel, and "+ Create API Key" on a channel that has none yet.
 */
export function ChannelGroups({
  counts,
  active,
  hrefFor,
  canCreate,
}: {
  counts: Record<Channel, number>;
  active?: Channel;
  hrefFor: (channel: Channel | undefined, create?: boolean) => string;
  canCreate: boolean;
}) {
  return (
    <nav aria-label="Channels">
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        {CHANNELS.map((c) => {
          const n = counts[c];
          const current = active === c;
          return (
            <li
              key={c}
              className={cn(
                "rounded-xl border bg-white p-3 shadow-sm",
                current ? "border-brand-600 ring-2 ring-brand-600/20" : "border-slate-200",
              )}
            >
              <Link
                href={current ? hrefFor(undefined) : hrefFor(c)}
                aria-current={current ? "true" : undefined}
                className="block rounded-md focus-visible:outline-2 focus-visible:outline-brand-600"
              >
                <span className="block text-sm font-semibold text-slate-900">{CHANNEL_LABELS[c]}</span>
                <span className="block text-xs text-slate-600">
                  {n === 0 ? "No keys" : n === 1 ? "1 key" : `${n.toLocaleString("en")} keys`}
                </span>
              </Link>
              {n === 0 && canCreate ? (
                <Link href={hrefFor(c, true)} className="mt-2 inline-block text-xs font-medium text-brand-700 hover:underline">
                  + Create API Key<span className="sr-only"> for {CHANNEL_LABELS[c]}</span>
                </Link>
              ) : null}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
