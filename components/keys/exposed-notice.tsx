"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { dismissExposureAction } from "@/lib/actions/exposure";
import { formatDateTime } from "./format";

/** The key page's "Exposed" notice: where and when the secret was found, and (owners) Dismiss. */
export function ExposedNotice({
  merchantId,
  keyId,
  exposed,
  canDismiss,
}: {
  merchantId: string;
  keyId: string;
  exposed: { at: string; url: string | null };
  canDismiss: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <section aria-labelledby="exposed-title" className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-950">
      <h3 id="exposed-title" className="font-semibold">
        <span aria-hidden="true">⚠ </span>Exposed
      </h3>
      <p className="mt-1 break-words">
        This key&apos;s secret was reported exposed on {formatDateTime(exposed.at)}
        {exposed.url ? (
          <>
            {" "}
            at <span className="font-mono text-xs">{exposed.url}</span>
          </>
        ) : null}
        . Give your integrations a new secret, then revoke the exposed one. The mark stays until the key is rotated again or revoked, or you
        dismiss it.
      </p>
      {error ? (
        <p role="alert" className="mt-1 font-medium">
          {error}
        </p>
      ) : null}
      {canDismiss ? (
        <Button
          size="sm"
          variant="secondary"
          className="mt-2"
          onClick={async () => {
            const res = await dismissExposureAction(merchantId, { keyId });
            if (!res.ok) setError(res.error);
            else router.refresh();
          }}
        >
          Dismiss
        </Button>
      ) : null}
    </section>
  );
}
