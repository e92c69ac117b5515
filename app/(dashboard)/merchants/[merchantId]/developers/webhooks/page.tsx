import type { Metadata } from "next";
import Link from "next/link";
import { requireMerchant } from "@/lib/data/merchants";
import { listWebhookEndpoints } from "@/lib/data/webhooks";
import { can } from "@/lib/core/permissions";
import { ENVIRONMENTS, ENVIRONMENT_LABELS, type Environment } from "@/lib/keys/types";
import { formatDateTime } from "@/components/keys/format";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { EndpointFormDialog } from "@/components/webhooks/endpoint-form-dialog";
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
      <Link href={`/merchants/${merchantId}/developers`} className="text-sm text-slate-600 hover:text-slate-900 hover:underline">
        ← All API keys
      </Link>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="webhooks-heading" className="text-lg font-semibold">
            Webhooks
          </h2>
          <p className="text-sm text-slate-600">
            {manage
              ? "Keyport sends one event per API key change to each endpoint, signed with an API key of the same environment."
              : "Only owners and admins of this merchant can add or change endpoints."}
          </p>
        </div>
        {manage ? <EndpointFormDialog key={env} merchantId={merchantId} environment={env} signers={signers} /> : null}
      </div>
      <nav aria-label="Environment" className="inline-flex rounded-lg bg-slate-100 p-0.5">
        {ENVIRONMENTS.map((e) => (
          <Link
            key={e}
            href={`?env=${e}`}
            aria-current={e === env ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-1 text-sm font-medium",
              e === env ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900",
            )}
          >
            {ENVIRONMENT_LABELS[e]}
          </Link>
        ))}
      </nav>
      {manage && signers.length > 0 && signers.every((s) => !s.canSign) ? (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-600/20">
          None of these REST keys can sign webhooks yet: they were created before webhooks. Re-generate or rotate a key to sign webhooks
          with it, or create a new one.
        </p>
      ) : null}
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="w-full min-w-[760px] text-left text-sm">
          <caption className="sr-only">{ENVIRONMENT_LABELS[env]} webhook endpoints</caption>
          <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2.5">
                Endpoint
              </th>
              <th scope="col" className="px-4 py-2.5">
                Status
              </th>
              <th scope="col" className="px-4 py-2.5">
                Events
              </th>
              <th scope="col" className="px-4 py-2.5">
                Signing key
              </th>
              <th scope="col" className="px-4 py-2.5">
                Last delivery
              </th>
            </tr>
          </thead>
          <tbody>
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
            {endpoints.length === 0 ? (
              <tr>
                <td colSpan={5} className="px-4 py-10 text-center text-slate-600">
                  No {ENVIRONMENT_LABELS[env].toLowerCase()} endpoints yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <ReceiverSnippet />
    </section>
  );
}
