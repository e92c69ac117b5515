"use client";
import { useEffect, useId, useRef, useState } from "react";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import type { ActiveChannelDto } from "@/lib/data/channels";
import { CHANNEL_LABELS, type Channel } from "@/lib/keys/types";
import { Button } from "@/components/ui/button";
import { SecretRevealDialog } from "./secret-reveal-dialog";

// Loaded when first chosen from the menu, not with the grid.
const ChangeCredentialsDialog = dynamic(() => import("./change-credentials-dialog").then((m) => m.ChangeCredentialsDialog), { ssr: false });
const IpWhitelistDialog = dynamic(() => import("./channel-ip-whitelist-dialog").then((m) => m.IpWhitelistDialog), { ssr: false });

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

/** A channel's "Actions" menu with its dialogs: "Change credentials" (owners) and "IP Whitelist". */
export function ChannelActions({
  merchantId,
  channel,
  canChangeCredentials,
  hasTotp,
}: {
  merchantId: string;
  channel: ActiveChannelDto;
  canChangeCredentials: boolean;
  hasTotp: boolean;
}) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [changing, setChanging] = useState(false);
  const [issued, setIssued] = useState<React.ComponentProps<typeof SecretRevealDialog>["issued"]>(null);
  return (
    <>
      <ActionsMenu
        channel={channel.channel}
        onIpWhitelist={() => setEditing(true)}
        onChangeCredentials={canChangeCredentials ? () => setChanging(true) : undefined}
      />
      {editing ? (
        <IpWhitelistDialog merchantId={merchantId} channel={channel.channel} list={channel.ipAllowList} onClose={() => setEditing(false)} />
      ) : null}
      {changing ? (
        <ChangeCredentialsDialog
          merchantId={merchantId}
          channel={channel.channel}
          keys={channel.changeable}
          hasTotp={hasTotp}
          onClose={() => setChanging(false)}
          onChanged={(s) => {
            setChanging(false);
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
    </>
  );
}
