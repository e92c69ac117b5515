"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { createSubAccountAction } from "@/lib/actions/sub-account";

export function CreateSubAccountButton({ masterId, masterName }: { masterId: string; masterName: string }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);
  const router = useRouter();
  const close = () => {
    setOpen(false);
    setName("");
    setError(null);
    setFieldError(undefined);
  };
  return (
    <>
      <Button variant="secondary" size="sm" aria-label={`Create sub-account of ${masterName}`} onClick={() => setOpen(true)}>
        + Sub-account
      </Button>
      <Dialog open={open} onClose={close} title="Create sub-account" description={<>Under {masterName}. The members of {masterName} get the same roles on it, until you change them there.</>}>
        <form
          noValidate
          className="space-y-4"
          onSubmit={async (e) => {
            e.preventDefault();
            setPending(true);
            const res = await createSubAccountAction(masterId, { name });
            setPending(false);
            if (!res.ok) {
              setError(res.error);
              setFieldError(res.fieldErrors?.name);
              return;
            }
            close();
            router.push(`/merchants/${res.data.id}/developers`);
          }}
        >
          {error ? <Alert>{error}</Alert> : null}
          <Field id="sub-account-name" label="Name" error={fieldError}>
            <input id="sub-account-name" className={inputClass} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off"
              aria-invalid={!!fieldError} aria-describedby={fieldError ? "sub-account-name-error" : undefined} />
          </Field>
          <DialogFooter>
            <Button variant="secondary" onClick={close}>Cancel</Button>
            <Button type="submit" disabled={pending}>{pending ? "Creating…" : "Create sub-account"}</Button>
          </DialogFooter>
        </form>
      </Dialog>
    </>
  );
}
