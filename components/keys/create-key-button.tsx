"use client";
import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import dynamic from "next/dynamic";
import { Button } from "@/components/ui/button";
import { useNeeded } from "@/components/ui/use-needed";
import type { Channel, Environment, IssuedSecret } from "@/lib/keys/types";
import { SecretRevealDialog } from "./secret-reveal-dialog";

// The dialog and its form (zod, react-hook-form) load when it first opens, not with the grid; a
// pointer over the button or focus on it starts the download.
const loadDialog = () => import("./create-key-dialog");
const CreateKeyDialog = dynamic(() => loadDialog().then((m) => m.CreateKeyDialog), { ssr: false });

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
  const needed = useNeeded(open);
  return (
    <>
      <Button onClick={() => setOpen(true)} onPointerEnter={loadDialog} onFocus={loadDialog} className="whitespace-nowrap">
        {label}
      </Button>
      {needed ? (
        <CreateKeyDialog
          {...props}
          open={open}
          onClose={() => setOpen(false)}
          onCreated={(res) => {
            setOpen(false);
            setIssued(res);
          }}
        />
      ) : null}
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
