import type { Metadata } from "next";
import Link from "next/link";
import { requireMerchant } from "@/lib/data/merchants";
import { listCredentials } from "@/lib/data/credentials";
import { userHasTotp } from "@/lib/data/users";
import { ENVIRONMENTS, ENVIRONMENT_LABELS, type Environment } from "@/lib/keys/types";
import { BulkRotation } from "@/components/keys/bulk-rotation";
import { StatusBadge } from "@/components/keys/status-badge";
import { Countdown } from "@/components/keys/countdown";
import { formatDateTime } from "@/components/keys/format";
import { SectionHeader, BackLink } from "@/components/layout/section-header";
import { TabNav } from "@/components/ui/tab-nav";
import { Table } from "@/components/ui/table";
import { CopyButton } from "@/components/ui/copy-button";
import { ExposurePolicyForm } from "@/components/keys/exposure-policy-form";
import { ReportLeakForm } from "@/components/keys/report-leak-form";
import { exposurePolicy } from "@/lib/leaks/policy";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Credentials Details" };

type Props = { params: Promise<{ merchantId: string }>; searchParams: Promise<{ env?: string }> };

export default async function CredentialsPage({ params, searchParams }: Props) {
  const { merchantId } = await params;
  const { access, user, may } = await requireMerchant(merchantId);
  const sp = await searchParams;
  const env: Environment = ENVIRONMENTS.find((e) => e === sp.env) ?? "production";
  const { rows, rotatable, inWindow, midRotation, ownCredentials } = await listCredentials(merchantId, env, access.role);
  const owner = may.rotate;
  const mayCopy = may.copy;
  const totp = owner ? await userHasTotp(user.id) : false;
  const policy = owner ? await exposurePolicy(await getDb(), merchantId, env) : null;
  return (
    <section aria-labelledby="cred-heading" className="space-y-4">
      <BackLink href={`/merchants/${merchantId}/developers`}>All API keys</BackLink>
      <SectionHeader
        id="cred-heading"
        title="Credentials Details"
        description={
          owner
            ? `Rotate every enabled ${ENVIRONMENT_LABELS[env].toLowerCase()} key at once, with one authenticator code.`
            : `Only owners of this merchant can rotate keys.${mayCopy ? " Copy an access key from the list below." : ""}`
        }
        actions={
          owner ? (
            <BulkRotation
              merchantId={merchantId}
              environment={env}
              rotatable={rotatable}
              inWindow={inWindow}
              hasTotp={totp}
              midRotation={midRotation}
              ownCredentials={ownCredentials}
            />
          ) : null
        }
      />
      <TabNav
        label="Environment"
        tabs={ENVIRONMENTS.map((e) => ({ href: `?env=${e}`, label: ENVIRONMENT_LABELS[e], current: e === env }))}
      />
      <Table
        caption={`Credentials of ${ENVIRONMENT_LABELS[env]} keys`}
        columns={["Key", "Status", "Current access key", "Previous key", "Last rotated"]}
        className="min-w-[800px]"
        wrapperClassName="hidden sm:block"
        empty={rows.length ? null : `No ${ENVIRONMENT_LABELS[env].toLowerCase()} keys.`}
      >
        {rows.map((r) => (
          <tr key={r.keyId} className="border-t border-slate-100">
            <td className="px-4 py-3">
              <Link href={`/merchants/${merchantId}/developers/keys/${r.keyId}`} className="font-medium text-slate-900 hover:underline">
                {r.name}
              </Link>
            </td>
            <td className="px-4 py-3">
              <StatusBadge status={r.status} />
            </td>
            <td className="px-4 py-3">
              <span className="flex items-center gap-1">
                <code className="font-mono text-xs">{r.current ?? "—"}</code>
                {mayCopy && r.current ? (
                  <CopyButton value={r.current} label={`Copy access key of ${r.name}`} toast="Access key copied" />
                ) : null}
              </span>
            </td>
            <td className="px-4 py-3">
              {r.previous ? (
                <span className="text-xs">
                  <code className="font-mono">{r.previous.accessKey}</code>
                  <br />
                  <span className="text-amber-900">
                    stops in <Countdown to={r.previous.expiresAt} />
                  </span>
                </span>
              ) : (
                <span className="text-slate-500">—</span>
              )}
            </td>
            <td className="px-4 py-3 text-slate-700">{r.lastRotatedAt ? formatDateTime(r.lastRotatedAt) : "Never"}</td>
          </tr>
        ))}
      </Table>
      {/* On a phone each key is a card, its access keys in full: no sideways scroll to reach them. */}
      <ul aria-label={`Credentials of ${ENVIRONMENT_LABELS[env]} keys`} className="space-y-2 sm:hidden">
        {rows.map((r) => (
          <li key={r.keyId} className="rounded-xl border border-slate-200 bg-white p-3 text-sm shadow-sm">
            <p className="flex items-start justify-between gap-2">
              <Link
                href={`/merchants/${merchantId}/developers/keys/${r.keyId}`}
                className="font-medium break-words text-slate-900 hover:underline"
              >
                {r.name}
              </Link>
              <StatusBadge status={r.status} />
            </p>
            <dl className="mt-2 space-y-1.5 text-xs">
              <div>
                <dt className="text-slate-500">Current access key</dt>
                <dd className="flex items-center gap-1">
                  <code className="font-mono break-all">{r.current ?? "—"}</code>
                  {mayCopy && r.current ? (
                    <CopyButton value={r.current} label={`Copy access key of ${r.name}`} toast="Access key copied" />
                  ) : null}
                </dd>
              </div>
              {r.previous ? (
                <div>
                  <dt className="text-slate-500">Previous key</dt>
                  <dd>
                    <code className="font-mono break-all">{r.previous.accessKey}</code>{" "}
                    <span className="text-amber-900">
                      stops in <Countdown to={r.previous.expiresAt} />
                    </span>
                  </dd>
                </div>
              ) : null}
              <div>
                <dt className="text-slate-500">Last rotated</dt>
                <dd className="text-slate-700">{r.lastRotatedAt ? formatDateTime(r.lastRotatedAt) : "Never"}</dd>
              </div>
            </dl>
          </li>
        ))}
        {rows.length ? null : (
          <li className="rounded-xl border border-slate-200 bg-white px-4 py-10 text-center text-sm text-slate-600">
            No {ENVIRONMENT_LABELS[env].toLowerCase()} keys.
          </li>
        )}
      </ul>
      {policy || may.writeIn.length ? (
        <div className="grid items-start gap-4 lg:grid-cols-2">
          {policy ? <ExposurePolicyForm merchantId={merchantId} environment={env} current={policy} hasTotp={totp} /> : null}
          {may.writeIn.length ? <ReportLeakForm merchantId={merchantId} /> : null}
        </div>
      ) : null}
    </section>
  );
}
