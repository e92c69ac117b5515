import type { Metadata } from "next";
import { requireMerchant } from "@/lib/data/merchants";
import { getKeyDetails } from "@/lib/data/key-details";
import { CHANNEL_LABELS, ENVIRONMENT_LABELS } from "@/lib/keys/types";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { BackLink } from "@/components/layout/section-header";
import { CopyButton } from "@/components/ui/copy-button";
import { ExposedBadge, StatusBadge } from "@/components/keys/status-badge";
import { ExposedNotice } from "@/components/keys/exposed-notice";
import { EditKeyForm } from "@/components/keys/edit-key-form";
import { IpAllowListForm } from "@/components/keys/ip-allow-list-form";
import { KeyActions } from "@/components/keys/key-actions";
import { KeyHistory } from "@/components/keys/key-history";
import { formatDate, formatDateTime } from "@/components/keys/format";
import { CredentialsCard } from "@/components/keys/credentials-card";
import { StatusSwitch } from "@/components/keys/status-switch";
import { DuplicateShortcut } from "@/components/keys/duplicate-shortcut";
import { UsageChart } from "@/components/keys/usage-chart";
import { keyUsage } from "@/lib/data/usage";
import { userHasTotp } from "@/lib/data/users";
import { GuessingNotice } from "@/components/keys/guessing-notice";

export const metadata: Metadata = { title: "API key" };

type Props = { params: Promise<{ merchantId: string; keyId: string }>; searchParams: Promise<{ range?: string }> };

function Section({ title, children, id }: { title: string; children: React.ReactNode; id: string }) {
  return (
    <Card className="p-5">
      <section aria-labelledby={id}>
        <h3 id={id} className="mb-4 text-sm font-semibold uppercase tracking-wide text-slate-600">
          {title}
        </h3>
        {children}
      </section>
    </Card>
  );
}

export default async function KeyDetailsPage({ params, searchParams }: Props) {
  const { merchantId, keyId } = await params;
  const range = (await searchParams).range === "7d" ? "7d" : "24h";
  const { access, user } = await requireMerchant(merchantId);
  const key = await getKeyDetails(merchantId, keyId, access.role);
  const totp = key.can.stepUp ? await userHasTotp(user.id) : false;
  const previous = key.credentials.find((c) => c.slot === "PREVIOUS");
  const { series, traffic } = await keyUsage(key.id, range, previous?.id);
  const editable = key.status !== "REVOKED";
  const current = key.credentials.find((c) => c.slot === "CURRENT");
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <BackLink href={`/merchants/${merchantId}/developers`}>All API keys</BackLink>
          <div className="mt-1 flex flex-wrap items-center gap-2">
            <h2 className="text-xl font-semibold tracking-tight">{key.name}</h2>
            <StatusBadge status={key.displayStatus} />
            {key.exposed ? <ExposedBadge at={key.exposed.at} url={key.exposed.url} /> : null}
            <Badge tone={key.environment === "production" ? "blue" : "slate"}>{ENVIRONMENT_LABELS[key.environment]}</Badge>
            <Badge>{CHANNEL_LABELS[key.channel]}</Badge>
          </div>
          <p className="mt-1 text-sm text-slate-600">
            Expires {formatDate(key.expiresAt)} · Last used {key.lastUsedAt ? formatDateTime(key.lastUsedAt) : "never"} · Last rotated{" "}
            {key.lastRotatedAt ? formatDateTime(key.lastRotatedAt) : "never"}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          {key.can.toggle && (key.displayStatus === "ENABLED" || key.displayStatus === "DISABLED") ? (
            <StatusSwitch
              merchantId={merchantId}
              keyId={key.id}
              keyName={key.name}
              version={key.version}
              enabled={key.displayStatus === "ENABLED"}
            />
          ) : null}
          {key.can.create && key.can.actions.includes("duplicate") ? <DuplicateShortcut merchantId={merchantId} source={key} /> : null}
        </div>
      </div>
      {key.exposed ? <ExposedNotice merchantId={merchantId} keyId={key.id} exposed={key.exposed} canDismiss={key.can.rotate} /> : null}
      {key.guessing ? <GuessingNotice guessing={key.guessing} /> : null}
      <div className="grid gap-6 lg:grid-cols-5">
        <div className="space-y-6 lg:col-span-3">
          <Section title="General" id="general">
            {key.can.edit && editable ? (
              <EditKeyForm merchantId={merchantId} keyId={key.id} name={key.name} description={key.description} version={key.version} />
            ) : (
              <dl className="space-y-2 text-sm">
                <dt className="text-slate-600">Description</dt>
                <dd>{key.description || "—"}</dd>
              </dl>
            )}
          </Section>
          <Section title="Permissions" id="permissions">
            <ul aria-label="Permissions (fixed at creation)" className="flex flex-wrap gap-2">
              {key.permissions.map((p) => (
                <li key={p}>
                  <code className="rounded bg-slate-100 px-2 py-1 font-mono text-xs">{p}</code>
                </li>
              ))}
            </ul>
            <p className="mt-3 text-xs text-slate-600">
              Permissions are fixed when a key is created. Duplicate the key to start from these and create a new one.
            </p>
          </Section>
          <Section title="Verifications" id="usage">
            <UsageChart points={series} range={range} hrefFor={(r) => `/merchants/${merchantId}/developers/keys/${key.id}?range=${r}`} />
          </Section>
          <Section title="IP allow-list" id="ip-allow-list">
            {key.can.edit && editable ? (
              <IpAllowListForm merchantId={merchantId} keyId={key.id} list={key.ipAllowList} version={key.version} />
            ) : key.ipAllowList.length ? (
              <ul className="font-mono text-sm">
                {key.ipAllowList.map((ip) => (
                  <li key={ip}>{ip}</li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-600">Any address may use this key.</p>
            )}
          </Section>
        </div>
        <div className="space-y-6 lg:col-span-2">
          <Section title="Developers corner" id="developers-corner">
            <dl className="space-y-3 text-sm">
              <div>
                <dt className="text-slate-600">Key ID</dt>
                <dd className="flex items-center gap-1">
                  <code className="font-mono text-xs">{key.id}</code>
                  {key.can.copy ? <CopyButton value={key.id} label="Copy key ID" toast="Key ID copied" /> : null}
                </dd>
              </div>
              <div>
                <dt className="text-slate-600">Access key</dt>
                <dd className="flex items-center gap-1">
                  <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">
                    {current ? (current.accessKey ?? current.accessKeyHint) : "—"}
                  </code>
                  {current?.accessKey ? <CopyButton value={current.accessKey} label="Copy access key" toast="Access key copied" /> : null}
                </dd>
              </div>
            </dl>
          </Section>
          <Section title="Credentials" id="credentials">
            <CredentialsCard data={key} traffic={traffic} />
          </Section>
          <Section title="Actions" id="actions">
            <KeyActions merchantId={merchantId} keyData={key} hasTotp={totp} />
          </Section>
          <Section title="History" id="history">
            <KeyHistory data={key} />
          </Section>
        </div>
      </div>
    </div>
  );
}
