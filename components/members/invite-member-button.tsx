"use client";
import { useRouter } from "next/navigation";
import type { z } from "zod";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { FormDialogFooter, useFormDialog } from "@/components/ui/form-dialog";
import { useToast } from "@/components/ui/toast";
import { inviteMemberAction } from "@/lib/actions/members";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { inviteSchema } from "@/lib/members/schema";
import { ROLES } from "@/lib/keys/types";

type Values = z.input<typeof inviteSchema>;

export function InviteMemberButton({ merchantId }: { merchantId: string }) {
  const router = useRouter();
  const toast = useToast();
  const { open, setOpen, close, form, formError, setFormError, submit } = useFormDialog<Values, { email: string }>({
    schema: inviteSchema,
    defaultValues: { email: "", role: "DEVELOPER" },
    action: (values) => inviteMemberAction(merchantId, values),
    onDone: (data) => {
      toast(`Invitation sent to ${data.email}`);
      router.refresh();
    },
  });
  const { register, formState } = form;
  const { errors } = formState;
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
          <FormDialogFooter onCancel={close} busy={formState.isSubmitting} label="Send invitation" busyLabel="Sending…" />
        </form>
      </Dialog>
    </>
  );
}
