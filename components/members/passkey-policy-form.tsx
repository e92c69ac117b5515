"use client";
import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { setPasskeyPolicyAction } from "@/lib/actions/passkey-policy";
import { GuardedActionDialog } from "@/components/keys/guarded-action-dialog";

/** "Require a passkey for step-up": owners choose whether authenticator codes still confirm this merchant's actions. */
export function PasskeyPolicyForm({ merchantId, current, hasTotp }: { merchantId: string; current: boolean; hasTotp: boolean }) {
  const id = useId();
  const router = useRouter();
  const toast = useToast();
  const [on, setOn] = useState(current);
  const [open, setOpen] = useState(false);
  return (
    <section aria-labelledby={`${id}-title`} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <h3 id={`${id}-title`} className="font-semibold text-slate-900">
        Step-up
      </h3>
      <p className="mt-1 text-sm text-slate-600">
        Actions that break an integration ask for a second factor. A passkey cannot be phished; a six-digit code can be relayed by a fake
        page. When passkeys are required, authenticator codes are refused for this merchant (recovery codes still work, and are audited).
      </p>
      <form
        className="mt-3 flex flex-wrap items-center gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          setOpen(true);
        }}
      >
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} className="h-4 w-4 accent-brand-600" />
          Require a passkey for step-up
        </label>
        <Button type="submit" size="sm" disabled={on === current}>
          Save
        </Button>
      </form>
      <GuardedActionDialog
        open={open}
        hasTotp={hasTotp}
        onClose={() => setOpen(false)}
        spec={{
          warningTitle: "Change how step-up is confirmed",
          warning: on
            ? "From now on, only a passkey (or a recovery code) confirms this merchant's key rotations, revokes and deletions. Every owner needs a passkey."
            : "Authenticator codes will confirm this merchant's actions again.",
          checkbox: "I confirm changing how step-up is confirmed",
          confirmLabel: "Save",
          otp: true,
        }}
        run={({ otp }) => setPasskeyPolicyAction(merchantId, { requirePasskey: on, confirmed: true, otp })}
        onDone={() => {
          setOpen(false);
          toast(on ? "Passkeys are now required for step-up" : "Authenticator codes confirm step-up again");
          router.refresh();
        }}
      />
    </section>
  );
}
