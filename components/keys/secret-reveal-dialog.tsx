"use client";
import { RevealDialog } from "@/components/ui/reveal-dialog";
import type { IssuedSecret } from "@/lib/keys/types";

/**
 * Shows a secret exactly once. It lives outside the grid rows, so refreshing the grid cannot
 * unmount it; the caller refreshes only after it closes.
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
