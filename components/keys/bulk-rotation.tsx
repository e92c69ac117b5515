"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { DEFAULT_GRACE, GRACE_OPTIONS, graceOption } from "@/lib/keys/rotation";
import type { Environment } from "@/lib/keys/types";
import type { ShownKey } from "@/lib/keys/rotation";
import { rollbackEnvironmentAction, rotateEnvironmentAction } from "@/lib/actions/rotate-environment";
import { GuardedActionDialog } from "./guarded-action-dialog";
import { RollbackDoneDialog, type RolledBack } from "./rollback-done-dialog";
import { BulkSecretsDialog } from "./bulk-secrets-dialog";
import type { BulkRotationResult } from "@/lib/keys/services/rotate-environment";
import { formatDateTime } from "./format";

/** `rotatable` and `inWindow` are the keys this page shows, with their versions: sent back so a stale batch is refused whole. */
export function BulkRotation({
  merchantId,
  environment,
  rotatable,
  inWindow,
  midRotation,
  ownCredentials,
  hasTotp,
}: {
  merchantId: string;
  environment: Environment;
  rotatable: ShownKey[];
  inWindow: ShownKey[];
  /** Enabled keys whose grace window is still open: named before confirming, left alone unless finished first. */
  midRotation: { name: string; previousExpiresAt: string }[];
  /** Keys with their own username and password: a bulk rotation gives them a generated pair, and says so first. */
  ownCredentials: string[];
  hasTotp: boolean;
}) {
  const enabledCount = rotatable.length;
  const [finish, setFinish] = useState(false);
  const others = enabledCount - midRotation.length;
  const now = (choice?: string) => choice === "now";
  const which =
    midRotation.length && !finish
      ? `The enabled ${environment} keys not mid-rotation are`
      : `Every enabled ${environment} key of this merchant is`;
  const openWindows = inWindow.length;
  const router = useRouter();
  const [open, setOpen] = useState<"rotate" | "rollback" | null>(null);
  const [rolledBack, setRolledBack] = useState<RolledBack[] | null>(null);
  const [issued, setIssued] = useState<BulkRotationResult[] | null>(null);
  // "Now" stops the existing keys of the keys it rotates: those mid-rotation only if their windows are finished first.
  const midIds = new Set(inWindow.map((k) => k.keyId));
  const rotatedIds = rotatable.filter((k) => finish || !midIds.has(k.keyId)).map((k) => k.keyId);
  return (
    <div className="flex flex-wrap gap-2">
      <Button onClick={() => setOpen("rotate")} disabled={enabledCount === 0}>
        Rotate API Keys
      </Button>
      {openWindows > 0 ? (
        <Button variant="danger" onClick={() => setOpen("rollback")}>
          Rollback API Keys
        </Button>
      ) : null}
      <GuardedActionDialog
        open={open === "rotate"}
        hasTotp={hasTotp}
        onClose={() => setOpen(null)}
        spec={{
          choice: {
            title: "Choose when to revoke the existing key",
            intro:
              midRotation.length && others === 0
                ? `All ${enabledCount} enabled keys are mid-rotation: nothing is rotated unless you choose to finish their grace windows first (next step).`
                : midRotation.length
                  ? `${midRotation.length} of the ${enabledCount} enabled keys ${midRotation.length === 1 ? "is" : "are"} mid-rotation (see the next step). New secrets are created now for the other ${others}; their existing ones keep working until the time you choose.`
                  : `New secrets are created now for all ${enabledCount} enabled keys. The existing ones keep working until the time you choose.`,
            legend: "Within",
            options: GRACE_OPTIONS.map((g) => ({ value: g.value, label: g.label })),
            initial: DEFAULT_GRACE,
          },
          warning: (choice) => (
            <div className="space-y-3">
              <p>
                {now(choice)
                  ? `${which} rotated at once, and the existing keys stop working at once: every integration still using them fails from this moment.`
                  : `${which} rotated at once. Integrations must switch to the new secrets before the existing keys are revoked.`}
              </p>
              {midRotation.length ? (
                <div role="group" aria-label="Keys mid-rotation" className="rounded-lg border border-slate-200 p-3">
                  <p className="font-medium text-slate-900">
                    {midRotation.length === 1 ? "This key is" : "These keys are"} mid-rotation, and{" "}
                    {midRotation.length === 1 ? "is" : "are"} left as {midRotation.length === 1 ? "it is" : "they are"}:
                  </p>
                  <ul className="mt-1 list-disc pl-5">
                    {midRotation.map((k) => (
                      <li key={k.name}>
                        {k.name}: previous key stops {formatDateTime(k.previousExpiresAt)}
                      </li>
                    ))}
                  </ul>
                  <label className="mt-2 flex items-start gap-2">
                    <input
                      type="checkbox"
                      checked={finish}
                      onChange={(e) => setFinish(e.target.checked)}
                      className="mt-0.5 h-4 w-4 accent-brand-600"
                    />
                    <span>
                      {midRotation.length === 1
                        ? "Finish its grace window first: its previous key stops now, and it is rotated too"
                        : "Finish their grace windows first: their previous keys stop now, and they are rotated too"}
                    </span>
                  </label>
                </div>
              ) : null}
              {ownCredentials.length ? (
                <div role="group" aria-label="Keys with their own credentials" className="rounded-lg border border-slate-200 p-3">
                  <p>
                    {ownCredentials.join(", ")} {ownCredentials.length === 1 ? "uses its" : "use their"} own username and password, and{" "}
                    {ownCredentials.length === 1 ? "gets" : "get"} a generated pair here. To choose new own credentials instead, rotate{" "}
                    {ownCredentials.length === 1 ? "it" : "them"} one at a time from the key&apos;s page.
                  </p>
                </div>
              ) : null}
            </div>
          ),
          checkbox: "I confirm rotating the API keys",
          confirmLabel: "Submit",
          otp: true,
          impact: { merchantId, keyIds: rotatedIds, scope: "all", when: now },
        }}
        run={({ choice, otp }) =>
          rotateEnvironmentAction(merchantId, {
            environment,
            keys: rotatable,
            grace: graceOption(choice),
            confirmed: true,
            otp,
            finishWindows: finish,
          })
        }
        onDone={(data) => {
          setOpen(null);
          setFinish(false);
          setIssued(data);
        }}
      />
      <GuardedActionDialog
        open={open === "rollback"}
        hasTotp={hasTotp}
        onClose={() => setOpen(null)}
        spec={{
          warning: `The new secrets of all ${openWindows} keys in a grace window are deleted and their previous keys become current again.`,
          checkbox: "I confirm rolling back the API keys immediately",
          confirmLabel: "Submit",
          danger: true,
          otp: true,
          impact: { merchantId, keyIds: inWindow.map((k) => k.keyId), scope: "current" },
        }}
        run={({ otp }) => rollbackEnvironmentAction(merchantId, { environment, keys: inWindow, confirmed: true, otp })}
        onDone={(d) => {
          setOpen(null);
          setRolledBack(d.keys);
        }}
      />
      <RollbackDoneDialog
        keys={rolledBack}
        onClose={() => {
          setRolledBack(null);
          router.refresh();
        }}
      />
      <BulkSecretsDialog
        issued={issued}
        onClose={() => {
          setIssued(null);
          router.refresh();
        }}
      />
    </div>
  );
}
