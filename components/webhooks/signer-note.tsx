import type { SignerChoiceDto } from "@/lib/data/webhooks";

/** The endpoint's signing key, and what to do when it cannot sign (older than webhooks, or deleted). */
export function SignerNote({ signer }: { signer: SignerChoiceDto | null }) {
  if (!signer)
    return <span className="text-sm text-amber-900">No signing key: its key was deleted. Edit the endpoint to choose another.</span>;
  return (
    <span className="text-sm">
      <span className="font-medium text-slate-900">{signer.name}</span>
      {signer.canSign ? null : (
        <span className="block text-xs text-amber-900">
          Created before webhooks: re-generate or rotate this key to sign webhooks with it.
        </span>
      )}
    </span>
  );
}
