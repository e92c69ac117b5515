import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/card";
import { MerchantTable } from "@/components/merchants/merchant-table";
import { controlClass } from "@/components/ui/field";
import { buttonClass } from "@/components/ui/button";
import { listMyMerchants } from "@/lib/data/merchants";
import type { MerchantListItem } from "@/lib/merchants/access";

export const metadata: Metadata = { title: "Merchants" };

/** A master stays when it or one of its sub-accounts matches; only matching sub-accounts stay. */
function filter(merchants: MerchantListItem[], q: string): MerchantListItem[] {
  const needle = q.trim().toLocaleLowerCase();
  if (!needle) return merchants;
  const hit = (m: MerchantListItem) => m.name.toLocaleLowerCase().includes(needle);
  return merchants.flatMap((m) => {
    const subs = m.subAccounts.filter(hit);
    return hit(m) || subs.length ? [{ ...m, subAccounts: hit(m) ? m.subAccounts : subs }] : [];
  });
}

export default async function MerchantsPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const { q: raw } = await searchParams;
  const q = typeof raw === "string" ? raw.slice(0, 120) : "";
  const all = await listMyMerchants();
  const merchants = filter(all, q);
  return (
    <div className="space-y-6">
      <PageHeader title="Merchants" description="The merchant accounts you belong to, with their sub-accounts." />
      {all.length ? (
        <form role="search" action="/merchants" className="flex max-w-md gap-2">
          <label htmlFor="merchant-search" className="sr-only">
            Search merchants
          </label>
          <input
            id="merchant-search"
            name="q"
            type="search"
            defaultValue={q}
            placeholder="Search merchants"
            className={`${controlClass} flex-1`}
          />
          <button type="submit" className={buttonClass("secondary")}>
            Search
          </button>
        </form>
      ) : null}
      {merchants.length ? (
        <MerchantTable merchants={merchants} />
      ) : (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center text-slate-600">
          {all.length ? `No merchant matches “${q}”.` : "You are not a member of any merchant yet."}
        </p>
      )}
    </div>
  );
}
