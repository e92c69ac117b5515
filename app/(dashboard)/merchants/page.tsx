import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/card";
import { MerchantTable } from "@/components/merchants/merchant-table";
import { listMyMerchants } from "@/lib/data/merchants";

export const metadata: Metadata = { title: "Merchants" };

export default async function MerchantsPage() {
  const merchants = await listMyMerchants();
  return (
    <div className="space-y-6">
      <PageHeader title="Merchants" description="The merchant accounts you belong to, with their sub-accounts." />
      {merchants.length ? (
        <MerchantTable merchants={merchants} />
      ) : (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center text-slate-600">
          You are not a member of any merchant yet.
        </p>
      )}
    </div>
  );
}
