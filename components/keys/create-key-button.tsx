"use client";
import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { IssuedSecret } from "@/lib/keys/types";
import type { Channel, Environment } from "@/lib/keys/types";
import dynamic from "next/dynamic";

// The form (zod, react-hook-form) loads when the dialog first opens, not with the grid.
const CreateKeyForm = dynamic(() => import("./create-key-form").then((m) => m.CreateKeyForm), {
  loading: () => <p className="py-8 text-center text-sm text-slate-600">Loading…</p>,
});
import { SecretRevealDialog } from "./secret-reveal-dialog";

export function CreateKeyButton({
  autoOpen,
  label = "+ Create API Key",
  ...props
}: {
  merchantId: string;
  environments: Environment[];
  defaults: { environment: Environment; channel: Channel };
  autoOpen?: boolean;
  label?: string;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  // Arriving from a channel's "+ Create API Key" link (?new=1): open once, and drop the flag.
  useEffect(() => {
    if (!autoOpen) return;
    setOpen(true);
    const url = new URL(window.location.href);
    url.searchParams.delete("new");
    window.history.replaceState(null, "", url);
  }, [autoOpen]);
  const [issued, setIssued] = useState<IssuedSecret | null>(null);
  return (
    <>
      <Button onClick={() => setOpen(true)} className="whitespace-nowrap">
        {label}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Create API Key"
        size="lg"
        description="The secret is shown once, right after the key is created."
      >
        <CreateKeyForm
          {...props}
          onCancel={() => setOpen(false)}
          onCreated={(res) => {
            setOpen(false);
            setIssued(res);
          }}
        />
      </Dialog>
      <SecretRevealDialog
        issued={issued}
        title="API key created"
        onClose={() => {
          setIssued(null);
          router.refresh(); // only now: the new row appears once the secret is gone from screen
        }}
      />
    </>
  );
}
