"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { inviteMemberAction } from "@/lib/actions/members";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { inviteSchema } from "@/lib/members/schema";
import { ROLES } from "@/lib/keys/types";

type Values = z.input<typeof inviteSchema>;

export function InviteMemberButton({ merchantId }: { merchantId: string }) {
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const router = useRouter();
  const toast = useToast();
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<Values>({
    resolver: zodResolver(inviteSchema, undefined, { raw: true }),
    defaultValues: { email: "", role: "DEVELOPER" },
  });
  const close = () => {
    setOpen(false);
    reset();
    setFormError(null);
  };
  const submit = handleSubmit(async (values) => {
    setFormError(null);
    const res = await inviteMemberAction(merchantId, values);
    if (!res.ok) {
      for (const [f, m] of Object.entries(res.fieldErrors ?? {})) setError(f as keyof Values, { message: m });
      return setFormError(res.error);
    }
    close();
    toast(`Invitation sent to ${res.data.email}`);
    router.refresh();
  });
  return (
    <>
      <Button onClick={() => setOpen(true)}>Invite member</Button>
      <Dialog
        open={open}
        onClose={close}
        title="Invite member"
        description="They get an e-mail with a link that works once and expires in 72 hours."
      >
        <form onSubmit={submit} noValidate className="space-y-4">
          {formError ? <Alert>{formError}</Alert> : null}
          <Field id="invite-email" label="E-mail" error={errors.email?.message}>
            <input
              id="invite-email"
              type="email"
              autoComplete="off"
              className={inputClass}
              {...register("email", { onChange: () => setFormError(null) })}
              aria-invalid={!!errors.email}
              aria-describedby={errors.email ? "invite-email-error" : undefined}
              required
            />
          </Field>
          <Field id="invite-role" label="Role" error={errors.role?.message}>
            <select id="invite-role" className={inputClass} {...register("role")}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </Field>
          <DialogFooter>
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? "Sending…" : "Send invitation"}
            </Button>
          </DialogFooter>
        </form>
      </Dialog>
    </>
  );
}
