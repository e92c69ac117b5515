"use client";
import { useState } from "react";
import { type DefaultValues, type FieldValues, type Path, type Resolver, useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import type { ActionResult } from "@/lib/actions/safe-action";
import { Button } from "./button";
import { DialogFooter } from "./dialog";

/**
 * The state of a dialog holding one form: open/close (which resets the form), the schema's
 * resolver, the server action's field errors on their fields and its message above the form.
 */
export function useFormDialog<V extends FieldValues, T>(opts: {
  schema: z.ZodType;
  defaultValues: DefaultValues<V>;
  action: (values: V) => Promise<ActionResult<T>>;
  onDone: (data: T) => void;
}) {
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<V>({
    resolver: zodResolver(opts.schema as never, undefined, { raw: true }) as unknown as Resolver<V>,
    defaultValues: opts.defaultValues,
  });
  const close = () => {
    setOpen(false);
    form.reset();
    setFormError(null);
  };
  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    const res = await opts.action(values);
    if (!res.ok) {
      for (const [f, m] of Object.entries(res.fieldErrors ?? {})) form.setError(f as Path<V>, { message: m });
      return setFormError(res.error);
    }
    close();
    opts.onDone(res.data);
  });
  return { open, setOpen, close, form, formError, setFormError, submit };
}

/** Cancel and the submit button, which says what it is doing while the action runs. */
export function FormDialogFooter({
  onCancel,
  busy,
  label,
  busyLabel,
}: {
  onCancel: () => void;
  busy: boolean;
  label: string;
  busyLabel: string;
}) {
  return (
    <DialogFooter>
      <Button variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" disabled={busy}>
        {busy ? busyLabel : label}
      </Button>
    </DialogFooter>
  );
}
