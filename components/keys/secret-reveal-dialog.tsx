"use client";
import dynamic from "next/dynamic";
import { useNeeded } from "@/components/ui/use-needed";
import type { IssuedSecret } from "@/lib/keys/types";

// Loaded with the first secret to show, not with the page: most visits never issue one.
const RevealDialog = dynamic(() => import("@/components/ui/reveal-dialog").then((m) => m.RevealDialog), { ssr: false });

/**
 * Shows a secret exactly once. It lives outside the grid rows, so refreshing the grid cannot
 * unmount it; the caller refreshes only after it closes. Its code loads when the first secret
 * arrives.
 */
export function SecretRevealDialog({
  issued,
  title = "Save your secret key",
  onClose,
}: {
  issued: IssuedSecret | null;
  title?: string;
  onClose: () => void;
}) {
  if (!useNeeded(!!issued)) return null;
  return (
    <RevealDialog
      fields={
        issued && [
          { label: "Key", value: issued.name },
          { label: "Access key", value: issued.accessKey, copy: { label: "Copy access key", toast: "Access key copied" } },
          {
            label: "Secret key",
            value: issued.secret,
            copy: { label: "Copy secret key", toast: "Secret key copied" },
            secret: true,
            testId: "revealed-secret",
          },
        ]
      }
      title={title}
      description="This secret will not be shown again. Copy it now and store it somewhere safe, such as your secrets manager."
      confirm="I have saved this secret key"
      onClose={onClose}
    />
  );
}
