"use client";
import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert, controlClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { changeMemberRoleAction, removeMemberAction, revokeInvitationAction } from "@/lib/actions/members";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { ROLES, type Role } from "@/lib/keys/types";

/** Role select and "Remove" for one direct member: owners only (the server checks again). */
export function MemberActions({
  merchantId,
  membershipId,
  email,
  role,
}: {
  merchantId: string;
  membershipId: string;
  email: string;
  role: Role;
}) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [ticked, setTicked] = useState(false);
  const router = useRouter();
  const toast = useToast();
  const boxId = useId();

  const changeRole = async (next: Role) => {
    setPending(true);
    setError(null);
    const res = await changeMemberRoleAction(merchantId, { membershipId, role: next });
    setPending(false);
    if (!res.ok) return setError(res.error);
    toast(`${email} is now ${ROLE_LABELS[next]}`);
    router.refresh();
  };
  const remove = async () => {
    setPending(true);
    if (!ticked) return;
    const res = await removeMemberAction(merchantId, { membershipId, confirmed: true });
    setPending(false);
    if (!res.ok) return setError(res.error);
    setRemoving(false);
    toast(`${email} was removed`);
    router.refresh();
  };
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex items-center gap-2">
        <select
          aria-label={`Role for ${email}`}
          className={controlClass}
          value={role}
          disabled={pending}
          onChange={(e) => void changeRole(e.target.value as Role)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
        <Button
          variant="secondary"
          size="sm"
          aria-label={`Remove ${email}`}
          onClick={() => {
            setError(null);
            setTicked(false);
            setRemoving(true);
          }}
        >
          Remove
        </Button>
      </div>
      {error && !removing ? (
        <p role="alert" className="max-w-xs text-right text-xs font-medium text-red-700">
          {error}
        </p>
      ) : null}
      <Dialog
        open={removing}
        onClose={() => setRemoving(false)}
        title="Remove member"
        description={<>{email} loses access to this merchant at once, and is signed out everywhere.</>}
      >
        {error ? <Alert className="mb-4">{error}</Alert> : null}
        <label htmlFor={boxId} className="flex items-start gap-2 text-sm">
          <input id={boxId} type="checkbox" className="mt-0.5" checked={ticked} onChange={(e) => setTicked(e.target.checked)} />I understand
          that {email} will lose access.
        </label>
        <DialogFooter>
          <Button variant="secondary" onClick={() => setRemoving(false)}>
            Cancel
          </Button>
          <Button variant="danger" disabled={!ticked || pending} onClick={() => void remove()}>
            Remove member
          </Button>
        </DialogFooter>
      </Dialog>
    </div>
  );
}

export function RevokeInvitationButton({ merchantId, invitationId, email }: { merchantId: string; invitationId: string; email: string }) {
  const router = useRouter();
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant="secondary"
        size="sm"
        aria-label={`Revoke invitation for ${email}`}
        onClick={async () => {
          const res = await revokeInvitationAction(merchantId, { invitationId });
          if (!res.ok) return setError(res.error);
          toast(`Invitation for ${email} revoked`);
          router.refresh();
        }}
      >
        Revoke
      </Button>
      {error ? (
        <p role="alert" className="text-xs font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
