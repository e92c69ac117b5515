"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { createSubAccountAction } from "@/lib/actions/sub-account";
import { subAccountSchema } from "@/lib/members/schema";

type Values = z.input<typeof subAccountSchema>;

export function CreateSubAccountButton({ masterId, masterName }: { masterId: string; masterName: string }) {
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const router = useRouter();
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<Values>({
    resolver: zodResolver(subAccountSchema, undefined, { raw: true }),
    defaultValues: { name: "" },
  });
  const close = () => {
    setOpen(false);
    reset();
    setFormError(null);
  };
  const submit = handleSubmit(async (values) => {
    setFormError(null);
    const res = await createSubAccountAction(masterId, values);
    if (!res.ok) {
      if (res.fieldErrors?.name) setError("name", { message: res.fieldErrors.name });
      return setFormError(res.error);
    }
    close();
    router.push(`/merchants/${res.data.id}/developers`);
  });
  const fieldError = errors.name?.message;
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
              {...register("name")}
              autoComplete="off"
              aria-invalid={!!fieldError}
              aria-describedby={fieldError ? "sub-account-name-error" : undefined}
            />
          </Field>
          <DialogFooter>
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? "Creating…" : "Create sub-account"}
            </Button>
          </DialogFooter>
        </form>
      </Dialog>
    </>
  );
}
