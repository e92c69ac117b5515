"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { inviteMemberAction } from "@/lib/actions/members";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { ROLES, type Role } from "@/lib/keys/types";

export function InviteMemberButton({ merchantId }: { merchantId: string }) {
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("DEVELOPER");
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);
  const router = useRouter();
  const toast = useToast();
  const close = () => {
    setOpen(false);
    setEmail("");
    setRole("DEVELOPER");
    setError(null);
    setFieldErrors({});
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setPending(true);
    const res = await inviteMemberAction(merchantId, { email, role });
    setPending(false);
    if (!res.ok) {
      setError(res.error);
      setFieldErrors(res.fieldErrors ?? {});
      return;
    }
    close();
    toast(`Invitation sent to ${res.data.email}`);
    router.refresh();
  };
  return (
    <>
      <Button onClick={() => setOpen(true)}>Invite member</Button>
      <Dialog open={open} onClose={close} title="Invite member" description="They get an e-mail with a link that works once and expires in 72 hours.">
        <form onSubmit={submit} noValidate className="space-y-4">
          {error ? <Alert>{error}</Alert> : null}
          <Field id="invite-email" label="E-mail" error={fieldErrors.email}>
            <input
              id="invite-email"
              type="email"
              autoComplete="off"
              className={inputClass}
              value={email}
              onChange={(e) => { setEmail(e.target.value); setFieldErrors({}); setError(null); }}
              aria-invalid={!!fieldErrors.email}
              aria-describedby={fieldErrors.email ? "invite-email-error" : undefined}
              required
            />
          </Field>
          <Field id="invite-role" label="Role" error={fieldErrors.role}>
            <select id="invite-role" className={inputClass} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>{ROLE_LABELS[r]}</option>
              ))}
            </select>
          </Field>
          <DialogFooter>
            <Button variant="secondary" onClick={close}>Cancel</Button>
            <Button type="submit" disabled={pending}>{pending ? "Sending…" : "Send invitation"}</Button>
          </DialogFooter>
        </form>
      </Dialog>
    </>
  );
}
