import type { Metadata } from "next";
import { KeyGrid } from "@/components/keys/key-grid";
import { requireMerchant } from "@/lib/data/merchants";
import { listKeys, parseKeyQuery } from "@/lib/data/keys";

export const metadata: Metadata = { title: "Developers" };

type Props = { params: Promise<{ merchantId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function DevelopersPage({ params, searchParams }: Props) {
  const { merchantId } = await params;
  const { access } = await requireMerchant(merchantId);
  const { rows, total } = await listKeys(merchantId, access.role, parseKeyQuery(await searchParams));
  return (
    <section aria-labelledby="keys-heading" className="space-y-4">
      <div>
        <h2 id="keys-heading" className="text-lg font-semibold">API keys</h2>
        <p className="text-sm text-slate-600">
          {total} {total === 1 ? "key" : "keys"}. Secrets are shown once, when a key is created or rotated.
        </p>
      </div>
      {rows.length ? (
        <KeyGrid merchantId={merchantId} rows={rows} />
      ) : (
        <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-14 text-center">
          <h3 className="font-semibold text-slate-900">No API keys yet</h3>
          <p className="mt-1 text-sm text-slate-600">This account has no active channels. Create a key to start integrating.</p>
        </div>
      )}
    </section>
  );
}
