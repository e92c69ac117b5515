"use client";
import { useEffect, useId, useRef, useState } from "react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ActiveChannelDto } from "@/lib/data/channels";
import { CHANNEL_LABELS, type Channel } from "@/lib/keys/types";
import { Button } from "@/components/ui/button";
import { SecretRevealDialog } from "./secret-reveal-dialog";

// Loaded when first chosen from the menu, not with the grid.
const ChangeCredentialsDialog = dynamic(() => import("./change-credentials-dialog").then((m) => m.ChangeCredentialsDialog));
const IpWhitelistDialog = dynamic(() => import("./channel-ip-whitelist-dialog").then((m) => m.IpWhitelistDialog));

/** "Actions" to the right of a channel row: a menu button (Escape or a click outside closes it). */
function ActionsMenu({
  channel,
  onIpWhitelist,
  onChangeCredentials,
}: {
  channel: Channel;
  onIpWhitelist: () => void;
  onChangeCredentials?: () => void;
}) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    ref.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    const away = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", away);
    return () => document.removeEventListener("mousedown", away);
  }, [open]);
  return (
    <div
      ref={ref}
      className="relative"
      onKeyDown={(e) => {
        if (e.key === "Escape") setOpen(false);
      }}
    >
      <Button
        variant="secondary"
        size="sm"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        Actions
        <span aria-hidden="true">▾</span>
      </Button>
      {open ? (
        <div
          id={menuId}
          role="menu"
          aria-label={`${CHANNEL_LABELS[channel]} actions`}
          className="absolute right-0 z-10 mt-1 w-48 rounded-lg border border-slate-200 bg-white py-1 shadow-lg"
        >
          {onChangeCredentials ? (
            <button
              type="button"
              role="menuitem"
              onClick={() => {
                setOpen(false);
                onChangeCredentials();
              }}
              className="block w-full px-3 py-2 text-left text-sm text-slate-800 hover:bg-slate-100 focus:bg-slate-100 focus:outline-none"
            >
              Change credentials
            </button>
          ) : null}
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              setOpen(false);
              onIpWhitelist();
            }}
            className="block w-full px-3 py-2 text-left text-sm text-slate-800 hover:bg-slate-100 focus:bg-slate-100 focus:outline-none"
          >
            IP Whitelist
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** "Your active API Channels": one row per active channel, with its "Actions" menu. */
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
  const router = useRouter();
  const [editing, setEditing] = useState<ActiveChannelDto | null>(null);
  const [changing, setChanging] = useState<ActiveChannelDto | null>(null);
  const [issued, setIssued] = useState<React.ComponentProps<typeof SecretRevealDialog>["issued"]>(null);
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
                  <ActionsMenu
                    channel={c.channel}
                    onIpWhitelist={() => setEditing(c)}
                    onChangeCredentials={canChangeCredentials ? () => setChanging(c) : undefined}
                  />
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="px-4 py-6 text-sm text-slate-600">No channel is active yet. A channel becomes active with its first key.</p>
      )}
      {editing ? (
        <IpWhitelistDialog merchantId={merchantId} channel={editing.channel} list={editing.ipAllowList} onClose={() => setEditing(null)} />
      ) : null}
      {changing ? (
        <ChangeCredentialsDialog
          merchantId={merchantId}
          channel={changing.channel}
          keys={changing.changeable}
          hasTotp={hasTotp}
          onClose={() => setChanging(null)}
          onChanged={(s) => {
            setChanging(null);
            setIssued(s);
          }}
        />
      ) : null}
      <SecretRevealDialog
        issued={issued}
        title="New credentials"
        onClose={() => {
          setIssued(null);
          router.refresh();
        }}
      />
    </section>
  );
}
