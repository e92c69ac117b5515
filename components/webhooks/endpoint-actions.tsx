"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import {
  deleteWebhookEndpointAction,
  resendWebhookDeliveryAction,
  sendWebhookTestEventAction,
  setWebhookEndpointEnabledAction,
} from "@/lib/actions/webhooks";
import type { ActionResult } from "@/lib/actions/safe-action";
import type { Environment } from "@/lib/keys/types";

/** "Send test event", "Disable" / "Enable" and "Delete" (behind a confirmation) for one endpoint. */
export function EndpointActions({
  merchantId,
  endpointId,
  environment,
  enabled,
  url,
}: {
  merchantId: string;
  endpointId: string;
  environment: Environment;
  enabled: boolean;
  url: string;
}) {
  const router = useRouter();
  const toast = useToast();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const run = async (action: () => Promise<ActionResult<unknown>>, done: string, after?: () => void) => {
    setPending(true);
    setError(null);
    const res = await action();
    setPending(false);
    if (!res.ok) return setError(res.error);
    toast(done);
    if (after) after();
    else router.refresh();
  };
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          disabled={pending || !enabled}
          onClick={() => run(() => sendWebhookTestEventAction(merchantId, { endpointId }), "Test event queued")}
        >
          Send test event
        </Button>
        <Button
          variant="secondary"
          disabled={pending}
          onClick={() =>
            run(
              () => setWebhookEndpointEnabledAction(merchantId, { endpointId, enabled: !enabled }),
              enabled ? "Endpoint disabled" : "Endpoint enabled",
            )
          }
        >
          {enabled ? "Disable" : "Enable"}
        </Button>
        <Button variant="danger" disabled={pending} onClick={() => setDeleting(true)}>
          Delete
        </Button>
      </div>
      {error && !deleting ? <Alert>{error}</Alert> : null}
      <Dialog
        open={deleting}
        onClose={() => setDeleting(false)}
        title="Delete endpoint"
        description={
          <>
            Nothing more is sent to <span className="break-all">{url}</span>, and its delivery attempts are deleted with it.
          </>
        }
      >
        {error ? <Alert className="mb-3">{error}</Alert> : null}
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={confirmed}
            onChange={(e) => setConfirmed(e.target.checked)}
            className="h-4 w-4 rounded border-slate-300"
          />
          I confirm deleting this endpoint
        </label>
        <DialogFooter>
          <Button variant="secondary" onClick={() => setDeleting(false)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={!confirmed || pending}
            onClick={() =>
              run(
                () => deleteWebhookEndpointAction(merchantId, { endpointId, confirmed: true }),
                "Endpoint deleted",
                () => router.push(`/merchants/${merchantId}/developers/webhooks?env=${environment}`),
              )
            }
          >
            Delete endpoint
          </Button>
        </DialogFooter>
      </Dialog>
    </div>
  );
}

/** "Resend": the same event, under the same webhook-id, is due again now. */
export function ResendButton({ merchantId, deliveryId, disabled }: { merchantId: string; deliveryId: string; disabled?: boolean }) {
  const router = useRouter();
  const toast = useToast();
  const [pending, setPending] = useState(false);
  return (
    <Button
      size="sm"
      variant="secondary"
      disabled={pending || disabled}
      onClick={async () => {
        setPending(true);
        const res = await resendWebhookDeliveryAction(merchantId, { deliveryId });
        setPending(false);
        toast(res.ok ? "Delivery queued again" : res.error);
        if (res.ok) router.refresh();
      }}
    >
      Resend
    </Button>
  );
}
