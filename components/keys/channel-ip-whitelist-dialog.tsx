"use client";
import { useId, useState } from "react";
import { FormDialogFooter } from "@/components/ui/form-dialog";
import { useRouter } from "next/navigation";
import { CHANNEL_LABELS, type Channel } from "@/lib/keys/types";
import { setChannelIpAllowListAction } from "@/lib/actions/set-channel-ip-allow-list";
import { Dialog } from "@/components/ui/dialog";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";

/** A channel's "IP Whitelist": every key of the channel must match it as well as its own list. */
export function IpWhitelistDialog({
  merchantId,
  channel,
  list,
  onClose,
}: {
  merchantId: string;
  channel: Channel;
  list: string[];
  onClose: () => void;
}) {
  const router = useRouter();
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const id = useId();
  const save = async (text: string) => {
    setPending(true);
    const res = await setChannelIpAllowListAction(merchantId, { channel, ipAllowList: text });
    setPending(false);
    if (!res.ok) return setError(res.fieldErrors?.ipAllowList ?? res.error);
    toast(`${CHANNEL_LABELS[channel]} IP Whitelist saved`);
    onClose();
    router.refresh();
  };
  return (
    <Dialog
      open
      onClose={onClose}
      title={`IP Whitelist: ${CHANNEL_LABELS[channel]}`}
      description="Applies to every key of this channel. When a key has its own IP allow-list as well, a request must match both."
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save(String(new FormData(e.currentTarget).get("ipAllowList") ?? ""));
        }}
      >
        {error ? <Alert className="mb-3">{error}</Alert> : null}
        <Field id={id} label="Allowed addresses" hint="IPv4 or IPv6 addresses and CIDR ranges, one per line. Empty allows any address.">
          <textarea
            id={id}
            name="ipAllowList"
            rows={5}
            defaultValue={list.join("\n")}
            className={`${inputClass} font-mono`}
            placeholder="Any address"
          />
        </Field>
        <FormDialogFooter onCancel={onClose} busy={pending} label="Save IP Whitelist" busyLabel="Saving…" />
      </form>
    </Dialog>
  );
}
