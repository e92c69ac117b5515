import Link from "next/link";
import { MerchantTabs } from "@/components/merchants/merchant-tabs";
import { Badge } from "@/components/ui/badge";
import { requireMerchant } from "@/lib/data/merchants";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { can } from "@/lib/core/permissions";
import { getDb } from "@/lib/db/client";
import { sudoUntil } from "@/lib/auth/sudo";
import { SudoBanner, SudoProvider } from "@/components/auth/sudo";

export default async function MerchantLayout({ children, params }: { children: React.ReactNode; params: Promise<{ merchantId: string }> }) {
  const { merchantId } = await params;
  const { access, user } = await requireMerchant(merchantId);
  // Only owners take step-up actions, so only they can have a sudo window open.
  const sudo =
    access.role === "OWNER" ? await sudoUntil(await getDb(), { sid: user.sid, merchantId: access.merchantId, userId: user.id }) : null;
  return (
    <SudoProvider merchantId={access.merchantId} until={sudo?.toISOString() ?? null}>
      <div className="space-y-6">
        <div>
          <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
            <Link href="/merchants" className="hover:text-slate-800 hover:underline">
              Merchants
            </Link>
            <span aria-hidden="true" className="px-2">
              /
            </span>
            {access.parent && access.parentId ? (
              <>
                {access.parent.member ? (
                  <Link href={`/merchants/${access.parentId}/developers`} className="hover:text-slate-800 hover:underline">
                    {access.parent.name}
                  </Link>
                ) : (
                  <span>{access.parent.name}</span>
                )}
                <span aria-hidden="true" className="px-2">
                  /
                </span>
              </>
            ) : null}
            <span className="text-slate-700" aria-current="page">
              {access.name}
            </span>
          </nav>
          <div className="mt-2 flex items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">{access.name}</h1>
            <Badge tone={access.role === "OWNER" ? "violet" : "slate"}>{ROLE_LABELS[access.role]}</Badge>
          </div>
        </div>
        <SudoBanner />
        <MerchantTabs merchantId={merchantId} audit={can(access.role, "audit.read")} />
        {children}
      </div>
    </SudoProvider>
  );
}
