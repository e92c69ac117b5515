import { CopyButton } from "@/components/ui/copy-button";
import { RECEIVER_SNIPPET } from "@/lib/webhooks/receiver-snippet";
import { ScrollRegion } from "@/components/ui/scroll-region";

/** How a receiver verifies: about ten lines of Node with the standardwebhooks package. */
export function ReceiverSnippet() {
  return (
    <section aria-labelledby="receiver-heading" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex items-start justify-between gap-3">
        <div>
          <h3 id="receiver-heading" className="font-semibold text-slate-900">
            Verify deliveries
          </h3>
          <p className="mt-1 text-sm text-slate-600">
            Each delivery follows Standard Webhooks (<code className="font-mono text-xs">webhook-id</code>,{" "}
            <code className="font-mono text-xs">webhook-timestamp</code>, <code className="font-mono text-xs">webhook-signature</code>
            ). The signing secret derives from the signing key&apos;s API secret, so whoever holds the key can verify. While the key&apos;s
            rotation is in its grace window, every delivery carries two signatures: configure your receiver with either the new or the
            previous key.
          </p>
        </div>
        <CopyButton value={RECEIVER_SNIPPET} label="Copy the receiver code" toast="Receiver code copied" />
      </div>
      <ScrollRegion label="Receiver code" className="mt-3 overflow-x-auto rounded-lg bg-slate-900">
        <pre className="p-4 text-xs leading-relaxed text-slate-100">
          <code>{RECEIVER_SNIPPET}</code>
        </pre>
      </ScrollRegion>
    </section>
  );
}
