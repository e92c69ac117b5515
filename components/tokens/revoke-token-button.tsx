"use client";
import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { revokeManagementTokenAction } from "@/lib/actions/management-tokens";

export function RevokeTokenButton({ merchantId, tokenId, name }: { merchantId: string; tokenId: string; name: string }) {
  const [open, setOpen] = useState(false);
  const [ticked, setTicked] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const router = useRouter();
  const toast = useToast();
  const boxId = useId();
  const revoke = async () => {
    setPending(true);
    const res = await revokeManagementTokenAction(merchantId, { tokenId });
    setPending(false);
    if (!res.ok) return setError(res.error);
    setOpen(false);
    toast(`Token “${name}” was revoked`);
    router.refresh();
  };
  return (
    <>
      <Button
        variant="secondary"
        size="sm"
        aria-label={`Revoke token ${name}`}
        onClick={() => {
          setError(null);
          setTicked(false);
          setOpen(true);
        }}
      >
        Revoke
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Revoke token"
        description={<>Requests with “{name}” fail at once. This cannot be undone.</>}
      >
        {error ? <Alert className="mb-4">{error}</Alert> : null}
        <label htmlFor={boxId} className="flex items-start gap-2 text-sm">
          <input id={boxId} type="checkbox" className="mt-0.5" checked={ticked} onChange={(e) => setTicked(e.target.checked)} />I confirm
          revoking this token
        </label>
        <DialogFooter>
          <Button variant="secondary" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button variant="danger" disabled={!ticked || pending} onClick={() => void revoke()}>
            Revoke token
          </Button>
        </DialogFooter>
      </Dialog>
    </>
  );
}
