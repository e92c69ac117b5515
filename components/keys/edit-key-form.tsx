"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { editKeySchema } from "@/lib/keys/schema";
import { editKeyAction } from "@/lib/actions/edit-key";
import { Button } from "@/components/ui/button";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";

type Values = z.input<typeof editKeySchema>;

/** General: name and description with "Save changes"; nothing else of a key is editable here. */
export function EditKeyForm({
  merchantId,
  keyId,
  name,
  description,
  version,
}: {
  merchantId: string;
  keyId: string;
  name: string;
  description: string;
  version: number;
}) {
  const router = useRouter();
  const toast = useToast();
  const [formError, setFormError] = useState<string>();
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isDirty, isSubmitting },
  } = useForm<Values>({
    resolver: zodResolver(editKeySchema, undefined, { raw: true }),
    values: { name, description, version },
  });
  const submit = handleSubmit(async (values) => {
    setFormError(undefined);
    const res = await editKeyAction(merchantId, { ...values, keyId });
    if (!res.ok) {
      for (const [f, m] of Object.entries(res.fieldErrors ?? {})) setError(f as keyof Values, { message: m });
      return setFormError(res.error);
    }
    reset(values);
    toast("Changes saved");
    router.refresh();
  });
  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {formError ? <Alert>{formError}</Alert> : null}
      <Field id="ek-name" label="Name" error={errors.name?.message}>
        <input id="ek-name" {...register("name")} aria-invalid={!!errors.name} className={inputClass} />
      </Field>
      <Field id="ek-description" label="Description" error={errors.description?.message}>
        <textarea id="ek-description" rows={2} {...register("description")} aria-invalid={!!errors.description} className={inputClass} />
      </Field>
      <div className="flex justify-end">
        <Button type="submit" disabled={!isDirty || isSubmitting}>
          {isSubmitting ? "Saving…" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}
