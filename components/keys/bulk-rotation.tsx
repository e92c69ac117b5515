"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { DEFAULT_GRACE, GRACE_OPTIONS } from "@/lib/keys/rotation";
import type { Environment } from "@/lib/keys/types";
import type { ShownKey } from "@/lib/keys/rotation";
import type { IssuedSecret } from "@/lib/keys/types";
import { rollbackEnvironmentAction, rotateEnvironmentAction } from "@/lib/actions/rotate-environment";
import { GuardedActionDialog } from "./guarded-action-dialog";
import { BulkSecretsDialog } from "./bulk-secrets-dialog";

/** `rotatable` and `inWindow` are the keys this page shows, with their versions: sent back so a stale batch is refused whole. */
export function BulkRotation({ merchantId, environment, rotatable, inWindow, hasTotp }: { merchantId: string; environment: Environment; rotatable: ShownKey[]; inWindow: ShownKey[]; hasTotp: boolean }) {
  const enabledCount = rotatable.length;
  const openWindows = inWindow.length;
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState<"rotate" | "rollback" | null>(null);
  const [issued, setIssued] = useState<IssuedSecret[] | null>(null);
  return (
    <div className="flex flex-wrap gap-2">
      <Button onClick={() => setOpen("rotate")} disabled={enabledCount === 0}>Rotate API Keys</Button>
      {openWindows > 0 ? <Button variant="danger" onClick={() => setOpen("rollback")}>Rollback API Keys</Button> : null}
      <GuardedActionDialog
        open={open === "rotate"} hasTotp={hasTotp} onClose={() => setOpen(null)}
        spec={{
          choice: { title: "Choose when to revoke the existing key", intro: `New secrets are created now for all ${enabledCount} enabled keys. The existing ones keep working until the time you choose.`, legend: "Within", options: GRACE_OPTIONS.map((g) => ({ value: g.value, label: g.label })), initial: DEFAULT_GRACE },
          warning: `Every enabled ${environment} key of this merchant is rotated at once. Integrations must switch to the new secrets before the existing keys are revoked.`,
          checkbox: "I confirm rotating the API keys", confirmLabel: "Submit", nextLabel: "Next", otp: true,
        }}
        run={({ choice, otp }) => rotateEnvironmentAction(merchantId, { environment, keys: rotatable, grace: choice, confirmed: true, otp })}
        onDone={(data) => { setOpen(null); setIssued(data); }}
      />
      <GuardedActionDialog
        open={open === "rollback"} hasTotp={hasTotp} onClose={() => setOpen(null)}
        spec={{ warning: `The new secrets of all ${openWindows} keys in a grace window are deleted and their previous keys become current again.`, checkbox: "I confirm rolling back the API keys immediately", confirmLabel: "Submit", nextLabel: "Next", danger: true, otp: true }}
        run={({ otp }) => rollbackEnvironmentAction(merchantId, { environment, keys: inWindow, confirmed: true, otp })}
        onDone={(d) => { setOpen(null); toast(`Rolled back ${d.count} keys`); router.refresh(); }}
      />
      <BulkSecretsDialog issued={issued} onClose={() => { setIssued(null); router.refresh(); }} />
    </div>
  );
}
