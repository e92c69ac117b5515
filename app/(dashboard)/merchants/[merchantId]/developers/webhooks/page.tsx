import type { Metadata } from "next";
import Link from "next/link";
import { requireMerchant } from "@/lib/data/merchants";
import { listWebhookEndpoints } from "@/lib/data/webhooks";
import { can } from "@/lib/core/permissions";
import { ENVIRONMENTS, ENVIRONMENT_LABELS, type Environment } from "@/lib/keys/types";
import { formatDateTime } from "@/components/keys/format";
import { Badge } from "@/components/ui/badge";
import { SectionHeader, BackLink } from "@/components/layout/section-header";
import { TabNav } from "@/components/ui/tab-nav";
import { Table } from "@/components/ui/table";
import { EndpointFormDialog } from "@/components/webhooks/endpoint-form-dialog";
import { urlRuleText } from "@/lib/webhooks/url-safety";
import { ReceiverSnippet } from "@/components/webhooks/receiver-snippet";
import { SignerNote } from "@/components/webhooks/signer-note";

export const metadata: Metadata = { title: "Webhooks" };

type Props = { params: Promise<{ merchantId: string }>; searchParams: Promise<{ env?: string }> };

export default async function WebhooksPage({ params, searchParams }: Props) {
  const { merchantId } = await params;
  const { access } = await requireMerchant(merchantId);
  const sp = await searchParams;
  const env: Environment = ENVIRONMENTS.find((e) => e === sp.env) ?? "production";
  const manage = can(access.role, "webhooks.write", env);
  const { endpoints, signers } = await listWebhookEndpoints(merchantId, env);
  const base = `/merchants/${merchantId}/developers/webhooks`;
  return (
    <section aria-labelledby="webhooks-heading" className="space-y-4">
      <BackLink href={`/merchants/${merchantId}/developers`}>All API keys</BackLink>
      <SectionHeader
        id="webhooks-heading"
        title="Webhooks"
        description={
          manage
            ? "Keyport sends one event per API key change to each endpoint, signed with an API key of the same environment."
            : "Only owners and admins of this merchant can add or change endpoints."
        }
        actions={
          manage ? (
            <EndpointFormDialog key={env} merchantId={merchantId} environment={env} signers={signers} urlHint={urlRuleText()} />
          ) : null
        }
      />
      <TabNav
        label="Environment"
        tabs={ENVIRONMENTS.map((e) => ({ href: `?env=${e}`, label: ENVIRONMENT_LABELS[e], current: e === env }))}
      />
      {manage && signers.length > 0 && signers.every((s) => !s.canSign) ? (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-600/20">
          None of these REST keys can sign webhooks yet: they were created before webhooks. Re-generate or rotate a key to sign webhooks
          with it, or create a new one.
        </p>
      ) : null}
      <Table
        caption={`${ENVIRONMENT_LABELS[env]} webhook endpoints`}
        columns={["Endpoint", "Status", "Events", "Signing key", "Last delivery"]}
        className="min-w-[760px]"
        empty={endpoints.length ? null : `No ${ENVIRONMENT_LABELS[env].toLowerCase()} endpoints yet.`}
      >
        {endpoints.map((e) => (
          <tr key={e.id} className="border-t border-slate-100 align-top">
            <td className="px-4 py-3">
              <Link href={`${base}/${e.id}`} className="break-all font-medium text-slate-900 hover:underline">
                {e.url}
              </Link>
              {e.description ? <p className="text-xs text-slate-600">{e.description}</p> : null}
            </td>
            <td className="px-4 py-3">
              <Badge tone={e.enabled ? "green" : "slate"}>{e.enabled ? "Enabled" : "Disabled"}</Badge>
            </td>
            <td className="px-4 py-3 text-slate-700">{e.events.length}</td>
            <td className="px-4 py-3">
              <SignerNote signer={e.signer} />
            </td>
            <td className="px-4 py-3 text-slate-700">
              {e.lastAttempt ? `${e.lastAttempt.statusCode ?? "No answer"} · ${formatDateTime(e.lastAttempt.at)}` : "—"}
            </td>
          </tr>
        ))}
      </Table>
      <ReceiverSnippet />
    </section>
  );
}
