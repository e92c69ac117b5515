"use client";
import { RevealDialog } from "@/components/ui/reveal-dialog";

/** Shows a new token exactly once; the page refreshes only after it closes. */
export function TokenRevealDialog({ created, onClose }: { created: { name: string; token: string } | null; onClose: () => void }) {
  return (
    <RevealDialog
      fields={
        created && [
          { label: "Name", value: created.name },
          {
            label: "Token",
            value: created.token,
            copy: { label: "Copy token", toast: "Token copied" },
            secret: true,
            testId: "revealed-token",
          },
        ]
      }
      title="Save your management token"
      description="This token will not be shown again. Copy it now and store it in your CI's secret store."
      confirm="I have saved this token"
      onClose={onClose}
    />
  );
}
