"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import type { KeyDetailsDto } from "@/lib/data/key-details";
import type { IssuedSecret } from "@/lib/keys/types";
import type { ActionResult } from "@/lib/actions/safe-action";
import { disableKeyAction, enableKeyAction } from "@/lib/actions/change-key-status";
import { revokeKeyAction } from "@/lib/actions/revoke-key";
import { deleteKeyAction } from "@/lib/actions/delete-key";
import { regenerateKeyAction } from "@/lib/actions/regenerate-key";
import { rotateKeyAction } from "@/lib/actions/rotate-key";
import { rollbackRotationAction } from "@/lib/actions/rollback-rotation";
import { graceOption } from "@/lib/keys/rotation";
import { extendGraceAction } from "@/lib/actions/extend-grace";
import { revokePreviousKeyAction } from "@/lib/actions/revoke-previous-key";
import { GuardedActionDialog } from "./guarded-action-dialog";
import { keyActionSpecs, type KeyActionKind } from "./key-action-specs";
import { SecretRevealDialog } from "./secret-reveal-dialog";
import { DuplicateKeyDialog } from "./duplicate-shortcut";
import { RollbackDoneDialog, type RolledBack } from "./rollback-done-dialog";
import { formatDateTime } from "./format";
import { EMPTY_OWN_CREDENTIALS, type OwnCredentialsChoice } from "./own-credentials-fields";

type Kind = KeyActionKind;

export function KeyActions({ merchantId, keyData, hasTotp }: { merchantId: string; keyData: KeyDetailsDto; hasTotp: boolean }) {
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState<Kind | null>(null);
  const [duplicating, setDuplicating] = useState(false);
  const [rolledBack, setRolledBack] = useState<RolledBack[] | null>(null);
  const [own, setOwn] = useState<OwnCredentialsChoice>(EMPTY_OWN_CREDENTIALS);
  const hasOwnCredentials = keyData.credentials.some((c) => c.slot === "CURRENT" && c.kind === "USER_CHOSEN");
  const ownInput = hasOwnCredentials && own.mode === "own" ? { own: { username: own.username.trim(), password: own.password } } : {};
  const [issued, setIssued] = useState<{ title: string; secret: IssuedSecret; then?: string } | null>(null);
  const { can, status, rotation } = keyData;
  const allowed = (a: string) => can.actions.includes(a as never);
  const ref = { keyId: keyData.id, version: keyData.version, confirmed: true as const };
  // Which rotation steps are possible was decided by lib/keys (rotationState) on the server's clock,
  // with the extension ends it would accept; this only shows them.
  const extendOptions = keyData.rotation.extendOptions.map((at) => ({ value: at, label: `Until ${formatDateTime(at)}` }));

  const specs = keyActionSpecs({ merchantId, keyId: keyData.id, hasOwnCredentials, own, setOwn, extendOptions });

  const calls: Record<Kind, (a: { choice?: string; otp?: string; keepConfirmed?: boolean }) => Promise<ActionResult<unknown>>> = {
    disable: () => disableKeyAction(merchantId, ref),
    enable: () => enableKeyAction(merchantId, ref),
    rotate: ({ choice, otp }) => rotateKeyAction(merchantId, { ...ref, grace: graceOption(choice), otp, ...ownInput }),
    rollback: ({ otp, keepConfirmed }) =>
      rollbackRotationAction(merchantId, { keyId: keyData.id, version: keyData.version, confirmed: true, otp, keepConfirmed }),
    extend: ({ choice, otp, keepConfirmed }) =>
      extendGraceAction(merchantId, {
        keyId: keyData.id,
        version: keyData.version,
        until: choice ?? "",
        confirmed: true,
        otp,
        keepConfirmed,
      }),
    revokePrevious: ({ otp, keepConfirmed }) => revokePreviousKeyAction(merchantId, { ...ref, otp, keepConfirmed }),
    regenerate: ({ otp }) => regenerateKeyAction(merchantId, { ...ref, otp, ...ownInput }),
    revoke: ({ otp, keepConfirmed }) => revokeKeyAction(merchantId, { ...ref, otp, keepConfirmed }),
    delete: ({ otp, keepConfirmed }) => deleteKeyAction(merchantId, { ...ref, otp, keepConfirmed }),
  };

  const done = (kind: Kind, data: unknown) => {
    setOpen(null);
    if (kind === "delete") {
      toast(`Deleted “${keyData.name}”`);
      router.push(`/merchants/${merchantId}/developers`);
    } else if (kind === "rollback") {
      setRolledBack((data as { keys: RolledBack[] }).keys);
    } else if (kind === "regenerate" || kind === "rotate") {
      setOwn(EMPTY_OWN_CREDENTIALS);
      setIssued({ title: "New secret key", secret: data as IssuedSecret });
    } else {
      toast(
        {
          disable: "Key disabled",
          enable: "Key enabled",
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
    { kind: "rotate", label: "Rotate", show: can.rotate && rotation.rotate },
    { kind: "rollback", label: "Rollback", show: can.rollback && rotation.rollback },
    { kind: "extend", label: "Extend grace", show: can.extend && rotation.extend },
    { kind: "revokePrevious", label: "Revoke previous key now", show: can.rotate && rotation.revokePrevious, danger: true },
    { kind: "disable", label: "Disable", show: can.toggle && status === "ENABLED" },
    { kind: "enable", label: "Activate", show: can.toggle && status === "DISABLED" },
    { kind: "regenerate", label: "Regenerate", show: can.regenerate && rotation.regenerate },
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
      {can.create && allowed("duplicate") && duplicating ? (
        <DuplicateKeyDialog
          merchantId={merchantId}
          source={keyData}
          onClose={() => setDuplicating(false)}
          onCreated={(res) => {
            setDuplicating(false);
            setIssued({ title: "Duplicate created", secret: res, then: `/merchants/${merchantId}/developers/keys/${res.keyId}` });
          }}
        />
      ) : null}
      <RollbackDoneDialog
        keys={rolledBack}
        onClose={() => {
          setRolledBack(null);
          router.refresh();
        }}
      />
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
