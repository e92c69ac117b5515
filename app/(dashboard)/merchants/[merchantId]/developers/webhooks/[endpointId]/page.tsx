import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireMerchant } from "@/lib/data/merchants";
import { webhookEndpointDetails } from "@/lib/data/webhooks";
import { can } from "@/lib/core/permissions";
import { ENVIRONMENT_LABELS } from "@/lib/keys/types";
import { formatDateTime } from "@/components/keys/format";
import { Badge } from "@/components/ui/badge";
import { BackLink } from "@/components/layout/section-header";
import { Table } from "@/components/ui/table";
import { EndpointActions, ResendButton } from "@/components/webhooks/endpoint-actions";
import { EndpointFormDialog } from "@/components/webhooks/endpoint-form-dialog";
import { urlRuleText } from "@/lib/webhooks/url-safety";
import { SignerNote } from "@/components/webhooks/signer-note";

export const metadata: Metadata = { title: "Webhook endpoint" };

type Props = { params: Promise<{ merchantId: string; endpointId: string }> };

export default async function WebhookEndpointPage({ params }: Props) {
  const { merchantId, endpointId } = await params;
  const { access } = await requireMerchant(merchantId);
  const details = await webhookEndpointDetails(merchantId, endpointId);
  if (!details) notFound();
  const { endpoint, signers, attempts } = details;
  const manage = can(access.role, "webhooks.write", endpoint.environment);
  return (
    <section aria-labelledby="endpoint-heading" className="space-y-4">
      <BackLink href={`/merchants/${merchantId}/developers/webhooks?env=${endpoint.environment}`}>Webhooks</BackLink>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id="endpoint-heading" className="break-all text-lg font-semibold">
            {endpoint.url}
          </h2>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <Badge tone={endpoint.enabled ? "green" : "slate"}>{endpoint.enabled ? "Enabled" : "Disabled"}</Badge>
            <span>{ENVIRONMENT_LABELS[endpoint.environment]}</span>
            {endpoint.description ? <span>· {endpoint.description}</span> : null}
          </p>
          {endpoint.disabledReason ? <p className="mt-1 text-sm text-amber-900">{endpoint.disabledReason}</p> : null}
        </div>
        {manage ? (
          <div className="flex flex-wrap items-start gap-2">
            <EndpointFormDialog
              key={endpoint.version}
              merchantId={merchantId}
              environment={endpoint.environment}
              signers={signers}
              endpoint={endpoint}
              urlHint={urlRuleText()}
            />
            <EndpointActions
              merchantId={merchantId}
              endpointId={endpoint.id}
              environment={endpoint.environment}
              enabled={endpoint.enabled}
              url={endpoint.url}
            />
          </div>
        ) : null}
      </div>
      <dl className="grid gap-4 rounded-xl border border-slate-200 bg-white p-4 text-sm shadow-sm sm:grid-cols-2">
        <div>
          <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">Signing key</dt>
          <dd className="mt-1">
            <SignerNote signer={endpoint.signer} />
          </dd>
        </div>
        <div>
          <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">Events</dt>
          <dd className="mt-1 flex flex-wrap gap-1">
            {endpoint.events.map((e) => (
              <code key={e} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">
                {e}
              </code>
            ))}
          </dd>
        </div>
      </dl>
      <Table
        caption="Delivery attempts"
        captionClassName="px-4 py-3 text-left font-semibold text-slate-900"
        columns={["Time", "Event", "Status", "Latency", "Response", manage && { label: "Actions", srOnly: true }]}
        className="min-w-[860px]"
        empty={attempts.length ? null : "No delivery attempts yet."}
      >
        {attempts.map((a) => (
          <tr key={a.id} className="border-t border-slate-100 align-top">
            <td className="whitespace-nowrap px-4 py-3 text-slate-700">{formatDateTime(a.at)}</td>
            <td className="px-4 py-3">
              <code className="font-mono text-xs">{a.eventType}</code>
              <span className="block font-mono text-[11px] text-slate-500">{a.messageId}</span>
            </td>
            <td className="px-4 py-3">
              <Badge tone={a.ok ? "green" : "red"}>{a.statusCode ?? "No answer"}</Badge>
            </td>
            <td className="px-4 py-3 text-slate-700">{a.latencyMs} ms</td>
            <td className="max-w-[320px] px-4 py-3">
              <code className="line-clamp-3 break-all font-mono text-xs text-slate-700">{a.error ?? (a.responseBody || "—")}</code>
            </td>
            {manage ? (
              <td className="px-4 py-3 text-right">
                <ResendButton merchantId={merchantId} deliveryId={a.deliveryId} disabled={!endpoint.enabled} />
              </td>
            ) : null}
          </tr>
        ))}
      </Table>
    </section>
  );
}
