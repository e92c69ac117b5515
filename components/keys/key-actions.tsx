"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import dynamic from "next/dynamic";
import type { CreateKeyInput } from "@/lib/keys/schema";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import type { KeyDetailsDto } from "@/lib/data/key-details";
import type { IssuedSecret } from "@/lib/keys/types";
import type { ActionResult } from "@/lib/actions/safe-action";
import { DEFAULT_GRACE, GRACE_OPTIONS } from "@/lib/keys/rotation";
import { disableKeyAction, enableKeyAction } from "@/lib/actions/change-key-status";
import { revokeKeyAction } from "@/lib/actions/revoke-key";
import { deleteKeyAction } from "@/lib/actions/delete-key";
import { regenerateKeyAction } from "@/lib/actions/regenerate-key";
import { rotateKeyAction } from "@/lib/actions/rotate-key";
import { rollbackRotationAction } from "@/lib/actions/rollback-rotation";
import { extendGraceAction } from "@/lib/actions/extend-grace";
import { revokePreviousKeyAction } from "@/lib/actions/revoke-previous-key";
import { GuardedActionDialog, type GuardedSpec } from "./guarded-action-dialog";
import { SecretRevealDialog } from "./secret-reveal-dialog";
import { formatDateTime } from "./format";
import { EMPTY_OWN_CREDENTIALS, OwnCredentialsFields, ownCredentialsReady, type OwnCredentialsChoice } from "./own-credentials-fields";

// Duplicate opens the create form with this key's presets; it loads when first opened.
const CreateKeyForm = dynamic(() => import("./create-key-form").then((m) => m.CreateKeyForm), {
  loading: () => <p className="py-8 text-center text-sm text-slate-600">Loading…</p>,
});

type Kind = "disable" | "enable" | "rotate" | "rollback" | "extend" | "revokePrevious" | "regenerate" | "revoke" | "delete";

export function KeyActions({ merchantId, keyData, hasTotp }: { merchantId: string; keyData: KeyDetailsDto; hasTotp: boolean }) {
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState<Kind | null>(null);
  const [duplicating, setDuplicating] = useState(false);
  const [own, setOwn] = useState<OwnCredentialsChoice>(EMPTY_OWN_CREDENTIALS);
  const hasOwnCredentials = keyData.credentials.some((c) => c.slot === "CURRENT" && c.kind === "USER_CHOSEN");
  const ownInput = hasOwnCredentials && own.mode === "own" ? { own: { username: own.username.trim(), password: own.password } } : {};
  const [issued, setIssued] = useState<{ title: string; secret: IssuedSecret; then?: string } | null>(null);
  const { can, status } = keyData;
  const allowed = (a: string) => can.actions.includes(a as never);
  const ref = { keyId: keyData.id, version: keyData.version, confirmed: true as const };
  // Decided by lib/keys on the server's clock: an open window, an expired key (the server refuses to
  // rotate it: KEY_EXPIRED) and the extension ends it would accept.
  const previous = keyData.rotation.windowOpen ? keyData.credentials.find((c) => c.slot === "PREVIOUS") : undefined;
  const expired = keyData.expired;
  const extendOptions = keyData.rotation.extendOptions.map((at) => ({ value: at, label: `Until ${formatDateTime(at)}` }));

  const specs: Record<Kind, GuardedSpec> = {
    disable: {
      warningTitle: "Disable API key",
      warning: "Requests with this key fail verification until it is enabled again.",
      checkbox: "I understand that integrations using this key will stop working",
      confirmLabel: "Disable",
      otp: false,
    },
    enable: {
      warningTitle: "Enable API key",
      warning: "Requests with this key pass verification again.",
      checkbox: "I confirm enabling this key",
      confirmLabel: "Enable",
      otp: false,
    },
    rotate: {
      choice: {
        title: "Choose when to revoke the existing key",
        legend: "A new secret is created now. The existing one keeps working until:",
        options: GRACE_OPTIONS.map((g) => ({ value: g.value, label: g.label })),
        initial: DEFAULT_GRACE,
      },
      warning: (choice) => (
        <div className="space-y-3">
          <p>
            {choice === "now"
              ? "The existing key stops working at once: every integration that still uses it fails from this moment until it is given the new secret. Everything else about the key stays the same."
              : "Changing credentials breaks every integration that still uses the existing key once it is revoked: switch them to the new secret before then. Everything else about the key stays the same."}
          </p>
          {hasOwnCredentials ? <OwnCredentialsFields value={own} onChange={setOwn} /> : null}
        </div>
      ),
      ready: () => !hasOwnCredentials || ownCredentialsReady(own),
      checkbox: "I confirm rotating the API keys",
      confirmLabel: "Rotate",
      otp: true,
    },
    rollback: {
      warning:
        "Changing credentials breaks every integration already switched to the new secret: it is deleted, and the previous one becomes current again, with no expiry.",
      checkbox: "I confirm rolling back the API keys immediately",
      confirmLabel: "Rollback",
      danger: true,
      otp: true,
    },
    extend: {
      choice: {
        title: "Extend the grace window",
        legend: "Keep the previous key working until (at most 7 days after the rotation; once only):",
        options: extendOptions,
        initial: extendOptions.at(-1)?.value ?? "",
      },
      warning: "The previous key keeps working longer. The window can be extended only once.",
      checkbox: "I confirm extending the grace window",
      confirmLabel: "Extend",
      otp: true,
    },
    revokePrevious: {
      warningTitle: "Revoke previous key now",
      warning:
        "The previous key stops working at once: any integration still using it fails from this moment. The current key is not changed, and the grace window cannot be rolled back afterwards.",
      checkbox: "I understand that the previous key stops working now",
      confirmLabel: "Revoke previous key",
      danger: true,
      otp: true,
    },
    regenerate: {
      warningTitle: "Regenerate API key",
      warning: (
        <div className="space-y-3">
          <p>
            Changing credentials breaks every integration that uses them: a new secret is created and the current one stops working
            immediately. Everything else about the key stays the same.
          </p>
          {hasOwnCredentials ? <OwnCredentialsFields value={own} onChange={setOwn} /> : null}
        </div>
      ),
      ready: () => !hasOwnCredentials || ownCredentialsReady(own),
      checkbox: "I understand that integrations using the current secret will break",
      confirmLabel: "Get New Key",
      danger: true,
      otp: true,
    },
    revoke: {
      warningTitle: "Revoke API key",
      warning: "A revoked key can never be enabled, rotated or edited again. It stays on the grid as Revoked.",
      checkbox: "I understand that revoking cannot be undone",
      confirmLabel: "Revoke",
      danger: true,
      otp: true,
    },
    delete: {
      warningTitle: "Delete API key",
      warning: "The key and its credentials are removed for good. Its history stays in the audit log.",
      checkbox: "I understand that deleting cannot be undone",
      confirmLabel: "Delete",
      danger: true,
      otp: true,
    },
  };

  const calls: Record<Kind, (a: { choice?: string; otp?: string }) => Promise<ActionResult<unknown>>> = {
    disable: () => disableKeyAction(merchantId, ref),
    enable: () => enableKeyAction(merchantId, ref),
    rotate: ({ choice, otp }) => rotateKeyAction(merchantId, { ...ref, grace: choice, otp, ...ownInput }),
    rollback: ({ otp }) => rollbackRotationAction(merchantId, { keyId: keyData.id, confirmed: true, otp }),
    extend: ({ choice, otp }) => extendGraceAction(merchantId, { keyId: keyData.id, until: choice, confirmed: true, otp }),
    revokePrevious: ({ otp }) => revokePreviousKeyAction(merchantId, { ...ref, otp }),
    regenerate: ({ otp }) => regenerateKeyAction(merchantId, { ...ref, otp, ...ownInput }),
    revoke: ({ otp }) => revokeKeyAction(merchantId, { ...ref, otp }),
    delete: ({ otp }) => deleteKeyAction(merchantId, { ...ref, otp }),
  };

  const done = (kind: Kind, data: unknown) => {
    setOpen(null);
    if (kind === "delete") {
      toast(`Deleted “${keyData.name}”`);
      router.push(`/merchants/${merchantId}/developers`);
    } else if (kind === "regenerate" || kind === "rotate") {
      setOwn(EMPTY_OWN_CREDENTIALS);
      setIssued({ title: "New secret key", secret: data as IssuedSecret });
    } else {
      toast(
        {
          disable: "Key disabled",
          enable: "Key enabled",
          rollback: "Rotation rolled back",
          extend: "Grace window extended",
          revokePrevious: "Previous key revoked",
          revoke: "Key revoked",
        }[kind],
      );
      router.refresh();
    }
  };

  const buttons: { kind: Kind | "duplicate"; label: string; show: boolean; danger?: boolean }[] = [
    { kind: "duplicate", label: "Duplicate", show: can.create && allowed("duplicate") },
    { kind: "rotate", label: "Rotate", show: can.rotate && allowed("rotate") && !previous && !expired },
    { kind: "rollback", label: "Rollback", show: can.rollback && allowed("rollback") && !!previous },
    { kind: "extend", label: "Extend grace", show: can.extend && allowed("extend") && extendOptions.length > 0 },
    { kind: "revokePrevious", label: "Revoke previous key now", show: can.rotate && allowed("revokePrevious") && !!previous, danger: true },
    { kind: "disable", label: "Disable", show: can.toggle && status === "ENABLED" },
    { kind: "enable", label: "Enable", show: can.toggle && status === "DISABLED" },
    { kind: "regenerate", label: "Regenerate", show: can.regenerate && allowed("regenerate") && !expired },
    { kind: "revoke", label: "Revoke", show: can.revoke && allowed("revoke"), danger: true },
    { kind: "delete", label: "Delete", show: can.delete && allowed("delete"), danger: true },
  ];
  const visible = buttons.filter((b) => b.show);

  return (
    <>
      {visible.length ? (
        <div className="flex flex-wrap gap-2">
          {visible.map((b) => (
            <Button
              key={b.kind}
              variant={b.danger ? "danger" : "secondary"}
              size="sm"
              onClick={() => (b.kind === "duplicate" ? setDuplicating(true) : setOpen(b.kind))}
            >
              {b.label}
            </Button>
          ))}
        </div>
      ) : (
        <p className="text-sm text-slate-600">
          {status === "REVOKED" ? "This key is revoked. Nothing can change it any more." : "Your role cannot change this key."}
        </p>
      )}
      {(Object.keys(specs) as Kind[])
        .filter((k) => visible.some((b) => b.kind === k) || open === k)
        .map((k) => (
          <GuardedActionDialog
            key={k}
            spec={specs[k]}
            open={open === k}
            hasTotp={hasTotp}
            onClose={() => setOpen(null)}
            run={calls[k]}
            onDone={(d) => done(k, d)}
          />
        ))}
      {can.create && allowed("duplicate") ? (
        <Dialog
          open={duplicating}
          onClose={() => setDuplicating(false)}
          title="Duplicate API key"
          size="lg"
          description="A new key with the same presets: change anything before creating it. The secret is shown once, right after."
        >
          <CreateKeyForm
            merchantId={merchantId}
            environments={[keyData.environment]}
            defaults={{ environment: keyData.environment, channel: keyData.channel }}
            preset={{
              name: `${keyData.name} (copy)`,
              description: keyData.description,
              permissions: keyData.permissions as CreateKeyInput["permissions"],
              ipAllowList: keyData.ipAllowList.join("\n"),
            }}
            onCancel={() => setDuplicating(false)}
            onCreated={(res) => {
              setDuplicating(false);
              setIssued({ title: "Duplicate created", secret: res, then: `/merchants/${merchantId}/developers/keys/${res.keyId}` });
            }}
          />
        </Dialog>
      ) : null}
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
