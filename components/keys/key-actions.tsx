"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import type { KeyDetailsDto } from "@/lib/data/key-details";
import type { IssuedSecret } from "@/lib/keys/services/shared";
import type { ActionResult } from "@/lib/actions/safe-action";
import { disableKeyAction, enableKeyAction } from "@/lib/actions/change-key-status";
import { revokeKeyAction } from "@/lib/actions/revoke-key";
import { deleteKeyAction } from "@/lib/actions/delete-key";
import { regenerateKeyAction } from "@/lib/actions/regenerate-key";
import { duplicateKeyAction } from "@/lib/actions/duplicate-key";
import { ConfirmActionDialog, type ConfirmSpec } from "./confirm-action-dialog";
import { SecretRevealDialog } from "./secret-reveal-dialog";

type Kind = "disable" | "enable" | "revoke" | "delete" | "regenerate";

const SPECS: Record<Kind, ConfirmSpec> = {
  disable: { title: "Disable API key", description: "Requests with this key fail verification until it is enabled again.", checkbox: "I understand that integrations using this key will stop working", confirmLabel: "Disable" },
  enable: { title: "Enable API key", description: "Requests with this key pass verification again.", checkbox: "I confirm enabling this key", confirmLabel: "Enable" },
  revoke: { title: "Revoke API key", description: "A revoked key can never be enabled, rotated or edited again. It stays on the grid as Revoked.", checkbox: "I understand that revoking cannot be undone", confirmLabel: "Revoke", danger: true },
  delete: { title: "Delete API key", description: "The key and its credentials are removed for good. Its history stays in the audit log.", checkbox: "I understand that deleting cannot be undone", confirmLabel: "Delete", danger: true },
  regenerate: { title: "Regenerate API key", description: "A new secret is created and the current one stops working immediately. Everything else about the key stays the same.", checkbox: "I understand that integrations using the current secret will break", confirmLabel: "Regenerate", danger: true },
};

export function KeyActions({ merchantId, keyData }: { merchantId: string; keyData: KeyDetailsDto }) {
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState<Kind | null>(null);
  const [issued, setIssued] = useState<{ title: string; secret: IssuedSecret; then?: string } | null>(null);
  const { can, status } = keyData;
  const ref = { keyId: keyData.id, version: keyData.version, confirmed: true as const };
  const allowed = (a: string) => can.actions.includes(a as never);

  const run = async (kind: Kind): Promise<string | null> => {
    const calls: Record<Kind, () => Promise<ActionResult<unknown>>> = {
      disable: () => disableKeyAction(merchantId, ref),
      enable: () => enableKeyAction(merchantId, ref),
      revoke: () => revokeKeyAction(merchantId, ref),
      delete: () => deleteKeyAction(merchantId, ref),
      regenerate: () => regenerateKeyAction(merchantId, ref),
    };
    const res = await calls[kind]();
    if (!res.ok) return res.error;
    if (kind === "delete") {
      toast(`Deleted “${keyData.name}”`);
      router.push(`/merchants/${merchantId}/developers`);
    } else if (kind === "regenerate") {
      setIssued({ title: "New secret key", secret: res.data as IssuedSecret });
    } else {
      toast(`Key ${kind}d`);
      router.refresh();
    }
    return null;
  };

  const duplicate = async () => {
    const res = await duplicateKeyAction(merchantId, { keyId: keyData.id });
    if (!res.ok) return toast(res.error);
    setIssued({ title: "Duplicate created", secret: res.data, then: `/merchants/${merchantId}/developers/keys/${res.data.keyId}` });
  };

  const buttons: { kind: Kind | "duplicate"; label: string; show: boolean; variant?: "danger" }[] = [
    { kind: "duplicate", label: "Duplicate", show: can.create && allowed("duplicate") },
    { kind: "disable", label: "Disable", show: can.toggle && status === "ENABLED" },
    { kind: "enable", label: "Enable", show: can.toggle && status === "DISABLED" },
    { kind: "regenerate", label: "Regenerate", show: can.owner && allowed("regenerate") },
    { kind: "revoke", label: "Revoke", show: can.owner && allowed("revoke"), variant: "danger" },
    { kind: "delete", label: "Delete", show: can.owner && allowed("delete"), variant: "danger" },
  ];
  const visible = buttons.filter((b) => b.show);

  return (
    <>
      {visible.length ? (
        <div className="flex flex-wrap gap-2">
          {visible.map((b) => (
            <Button key={b.kind} variant={b.variant === "danger" ? "danger" : "secondary"} size="sm"
              onClick={() => (b.kind === "duplicate" ? void duplicate() : setOpen(b.kind))}>
              {b.label}
            </Button>
          ))}
        </div>
      ) : (
        <p className="text-sm text-slate-600">{status === "REVOKED" ? "This key is revoked. Nothing can change it any more." : "Your role cannot change this key."}</p>
      )}
      {(Object.keys(SPECS) as Kind[]).map((k) => (
        <ConfirmActionDialog key={k} spec={SPECS[k]} open={open === k} onClose={() => setOpen(null)} onConfirm={() => run(k)} />
      ))}
      <SecretRevealDialog
        issued={issued?.secret ?? null}
        title={issued?.title}
        onClose={() => {
          const then = issued?.then;
          setIssued(null);
          if (then) router.push(then);
          else router.refresh();
        }}
      />
    </>
  );
}
