"use client";
import { useRouter } from "next/navigation";
import type { z } from "zod";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { FormDialogFooter, useFormDialog } from "@/components/ui/form-dialog";
import { createSubAccountAction } from "@/lib/actions/sub-account";
import { subAccountSchema } from "@/lib/members/schema";

type Values = z.input<typeof subAccountSchema>;

export function CreateSubAccountButton({ masterId, masterName }: { masterId: string; masterName: string }) {
  const router = useRouter();
  const { open, setOpen, close, form, formError, submit } = useFormDialog<Values, { id: string }>({
    schema: subAccountSchema,
    defaultValues: { name: "" },
    action: (values) => createSubAccountAction(masterId, values),
    onDone: (data) => router.push(`/merchants/${data.id}/developers`),
  });
  const fieldError = form.formState.errors.name?.message;
  return (
    <>
      <Button variant="secondary" size="sm" aria-label={`Create sub-account of ${masterName}`} onClick={() => setOpen(true)}>
        + Sub-account
      </Button>
      <Dialog
        open={open}
        onClose={close}
        title="Create sub-account"
        description={
          <>
            Under {masterName}. The members of {masterName} get the same roles on it, until you change them there.
          </>
        }
      >
        <form noValidate className="space-y-4" onSubmit={submit}>
          {formError ? <Alert>{formError}</Alert> : null}
          <Field id="sub-account-name" label="Name" error={fieldError}>
            <input
              id="sub-account-name"
              className={inputClass}
              {...form.register("name")}
              autoComplete="off"
              aria-invalid={!!fieldError}
              aria-describedby={fieldError ? "sub-account-name-error" : undefined}
            />
          </Field>
          <FormDialogFooter onCancel={close} busy={form.formState.isSubmitting} label="Create sub-account" busyLabel="Creating…" />
        </form>
      </Dialog>
    </>
  );
}
