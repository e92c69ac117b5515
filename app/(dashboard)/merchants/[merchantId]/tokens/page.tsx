import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table } from "@/components/ui/table";
import { SectionHeader } from "@/components/layout/section-header";
import { CreateTokenButton } from "@/components/tokens/create-token-button";
import { RevokeTokenButton } from "@/components/tokens/revoke-token-button";
import { formatDateTime } from "@/components/keys/format";
import { requireMerchant } from "@/lib/data/merchants";
import { listTokens, type TokenRowDto } from "@/lib/tokens/list";
import { can } from "@/lib/core/permissions";

export const metadata: Metadata = { title: "Management tokens" };

const STATE: Record<TokenRowDto["state"], { label: string; tone: "green" | "slate" | "red" | "amber" }> = {
  active: { label: "Active", tone: "green" },
  revoked: { label: "Revoked", tone: "slate" },
  expired: { label: "Expired", tone: "red" },
  "creator-not-owner": { label: "Inactive: creator is no longer an owner", tone: "amber" },
};

export default async function TokensPage({ params }: { params: Promise<{ merchantId: string }> }) {
  const { merchantId } = await params;
  const { access } = await requireMerchant(merchantId);
  const manage = can(access.role, "tokens.write");
  const tokens = await listTokens(merchantId);
  return (
    <section aria-labelledby="tokens-heading" className="space-y-6">
      <SectionHeader
        id="tokens-heading"
        title="Management tokens"
        description={
          <span className="block max-w-2xl">
            Tokens for the management API, to create and rotate keys from CI or infrastructure code. A token works only while the owner who
            created it is still an owner. See the{" "}
            <Link href="/docs/api" className="font-medium text-brand-700 hover:underline">
              API reference
            </Link>
            .
          </span>
        }
        actions={manage ? <CreateTokenButton merchantId={merchantId} /> : null}
      />
      {tokens.length ? (
        <Table
          caption="Management tokens"
          columns={["Name", "Scopes", "Created by", "Last used", "Expires", "Status", manage && { label: "Manage", align: "right" }]}
        >
          {tokens.map((t) => (
            <tr key={t.id} className="border-t border-slate-100 align-top">
              <td className="px-4 py-3">
                <p className="font-medium text-slate-900">{t.name}</p>
                <p className="font-mono text-xs text-slate-500">{t.hint}</p>
              </td>
              <td className="px-4 py-3">
                <ul className="flex max-w-xs flex-wrap gap-1">
                  {t.scopes.map((s) => (
                    <li key={s}>
                      <Badge tone="slate">{s}</Badge>
                    </li>
                  ))}
                </ul>
              </td>
              <td className="px-4 py-3 text-slate-700">
                {t.createdBy}
                <p className="text-xs text-slate-500">{formatDateTime(t.createdAt)}</p>
              </td>
              <td className="px-4 py-3 text-slate-700">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "Never"}</td>
              <td className="px-4 py-3 text-slate-700">{t.expiresAt ? formatDateTime(t.expiresAt) : "Never"}</td>
              <td className="px-4 py-3">
                <Badge tone={STATE[t.state].tone}>{STATE[t.state].label}</Badge>
              </td>
              {manage ? (
                <td className="px-4 py-3 text-right">
                  {t.state !== "revoked" ? <RevokeTokenButton merchantId={merchantId} tokenId={t.id} name={t.name} /> : null}
                </td>
              ) : null}
            </tr>
          ))}
        </Table>
      ) : (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
          No management tokens yet.{manage ? " Create one to call the management API." : " Owners can create them."}
        </p>
      )}
    </section>
  );
}
