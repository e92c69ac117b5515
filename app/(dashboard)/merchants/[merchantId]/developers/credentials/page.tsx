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
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";

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
  return (
    <section aria-labelledby="cred-heading" className="space-y-4">
      <Link href={`/merchants/${merchantId}/developers`} className="text-sm text-slate-600 hover:text-slate-900 hover:underline">
        ← All API keys
      </Link>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="cred-heading" className="text-lg font-semibold">
            Credentials Details
          </h2>
          <p className="text-sm text-slate-600">
            {owner
              ? `Rotate every enabled ${ENVIRONMENT_LABELS[env].toLowerCase()} key at once, with one authenticator code.`
              : `Only owners of this merchant can rotate keys.${mayCopy ? " Copy an access key from the list below." : ""}`}
          </p>
        </div>
        {owner ? (
          <BulkRotation
            merchantId={merchantId}
            environment={env}
            rotatable={rotatable}
            inWindow={inWindow}
            hasTotp={totp}
            midRotation={midRotation}
            ownCredentials={ownCredentials}
          />
        ) : null}
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
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="w-full min-w-[800px] text-left text-sm">
          <caption className="sr-only">Credentials of {ENVIRONMENT_LABELS[env]} keys</caption>
          <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2.5">
                Key
              </th>
              <th scope="col" className="px-4 py-2.5">
                Status
              </th>
              <th scope="col" className="px-4 py-2.5">
                Current access key
              </th>
              <th scope="col" className="px-4 py-2.5">
                Previous key
              </th>
              <th scope="col" className="px-4 py-2.5">
                Last rotated
              </th>
            </tr>
          </thead>
          <tbody>
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
            {rows.length === 0 ? (
              <tr>
                <td colSpan={5} className="px-4 py-10 text-center text-slate-600">
                  No {ENVIRONMENT_LABELS[env].toLowerCase()} keys.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </section>
  );
}
