"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import { ipAllowListSchema } from "@/lib/keys/schema";
import { setIpAllowListAction } from "@/lib/actions/set-ip-allow-list";
import { Button } from "@/components/ui/button";
import { Alert, Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";

type Values = z.input<typeof ipAllowListSchema>;

export function IpAllowListForm({
  merchantId,
  keyId,
  list,
  version,
}: {
  merchantId: string;
  keyId: string;
  list: string[];
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
    resolver: zodResolver(ipAllowListSchema, undefined, { raw: true }),
    values: { ipAllowList: list.join("\n"), version },
  });
  const submit = handleSubmit(async (values) => {
    setFormError(undefined);
    const res = await setIpAllowListAction(merchantId, { ...values, keyId });
    if (!res.ok) {
      if (res.fieldErrors?.ipAllowList) setError("ipAllowList", { message: res.fieldErrors.ipAllowList });
      return setFormError(res.error);
    }
    reset(values);
    toast("IP allow-list saved");
    router.refresh();
  });
  const error = errors.ipAllowList?.message;
  return (
    <form onSubmit={submit} noValidate className="space-y-3">
      {formError ? <Alert>{formError}</Alert> : null}
      <Field
        id="ip-list"
        label="Allowed addresses"
        hint="IPv4 or IPv6 addresses and CIDR ranges, one per line, for example 203.0.113.7, 10.0.0.0/8 or 2001:db8::/32. Empty allows any address."
        error={error}
      >
        <textarea
          id="ip-list"
          rows={4}
          {...register("ipAllowList")}
          aria-invalid={!!error}
          aria-describedby={error ? "ip-list-error" : undefined}
          className={`${inputClass} font-mono`}
          placeholder="Any address"
        />
      </Field>
      <div className="flex justify-end">
        <Button type="submit" disabled={!isDirty || isSubmitting}>
          {isSubmitting ? "Saving…" : "Save IP allow-list"}
        </Button>
      </div>
    </form>
  );
}
