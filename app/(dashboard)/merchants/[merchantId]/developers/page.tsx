import type { Metadata } from "next";
import Link from "next/link";
import { KeyGrid } from "@/components/keys/key-grid";
import { SectionHeader } from "@/components/layout/section-header";
import { KeyToolbar } from "@/components/keys/key-toolbar";
import { CreateKeyButton } from "@/components/keys/create-key-button";
import { requireMerchant } from "@/lib/data/merchants";
import { ChannelGroups } from "@/components/keys/channel-groups";
import { channelCounts, listKeys, parseKeyQuery } from "@/lib/data/keys";
import { CHANNEL_LABELS, type Channel } from "@/lib/keys/types";
import { KeyCards } from "@/components/keys/key-cards";
import { ViewToggle } from "@/components/keys/view-toggle";
import { ActiveChannels } from "@/components/keys/active-channels";
import { keyCardExtras } from "@/lib/data/key-cards";
import { listActiveChannels } from "@/lib/data/channels";
import { userHasTotp } from "@/lib/data/users";

export const metadata: Metadata = { title: "Developers" };

/** The page's query as URLSearchParams (a repeated parameter kept repeated). */
function searchParamsOf(sp: Record<string, string | string[] | undefined>) {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(sp)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) out.append(k, one);
  return out;
}

type Props = { params: Promise<{ merchantId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function DevelopersPage({ params, searchParams }: Props) {
  const { merchantId } = await params;
  const { access, user, may } = await requireMerchant(merchantId);
  const sp = await searchParams;
  const query = parseKeyQuery(sp);
  const owner = may.rotate;
  const [{ rows, total }, counts, activeChannels] = await Promise.all([
    listKeys(merchantId, access.role, query),
    channelCounts(merchantId, query.env),
    listActiveChannels(merchantId, { changeable: owner }),
  ]);
  const view = sp.view === "cards" ? "cards" : "table";
  const [extras, totp] = await Promise.all([
    keyCardExtras(
      merchantId,
      rows.map((r) => r.id),
      access.role,
    ),
    owner ? userHasTotp(user.id) : false,
  ]);
  const cards = <KeyCards merchantId={merchantId} rows={rows} extras={extras} may={{ toggle: may.toggle, rotate: owner }} hasTotp={totp} />;
  const hrefFor = (channel: Channel | undefined, create?: boolean) => {
    const p = new URLSearchParams();
    if (query.env) p.set("env", query.env);
    if (channel) p.set("channel", channel);
    if (create) p.set("new", "1");
    const s = p.toString();
    return `/merchants/${merchantId}/developers${s ? `?${s}` : ""}`;
  };
  const environments = may.writeIn;
  const defaults = {
    environment: query.env && environments.includes(query.env) ? query.env : environments[0],
    channel: query.channel ?? "REST",
  };
  const autoOpen = sp.new === "1";
  const create = environments.length ? (
    <CreateKeyButton merchantId={merchantId} environments={environments} defaults={defaults} autoOpen={autoOpen} />
  ) : null;
  return (
    <section aria-labelledby="keys-heading" className="space-y-4">
      <SectionHeader
        id="keys-heading"
        title="API keys"
        description="Secrets are shown once, when a key is created or rotated. Access keys can be copied at any time."
        actions={
          <div className="flex items-center gap-3">
            <Link
              href={`/merchants/${merchantId}/developers/credentials${query.env ? `?env=${query.env}` : ""}`}
              className="text-sm font-medium text-brand-700 hover:underline"
            >
              Credentials Details
            </Link>
            <Link
              href={`/merchants/${merchantId}/developers/webhooks${query.env ? `?env=${query.env}` : ""}`}
              className="text-sm font-medium text-brand-700 hover:underline"
            >
              Webhooks
            </Link>
            {rows.length ? create : null}
          </div>
        }
      />
      <ChannelGroups counts={counts} active={query.channel} hrefFor={hrefFor} canCreate={environments.length > 0} />
      <KeyToolbar env={query.env} channel={query.channel} q={query.q} />
      {rows.length ? (
        <div className="flex justify-end">
          <ViewToggle view={view} path={`/merchants/${merchantId}/developers`} params={searchParamsOf(sp)} />
        </div>
      ) : null}
      {rows.length && view === "cards" ? (
        cards
      ) : rows.length ? (
        <>
          {/* Below md the table would scroll sideways: cards are the only view there. */}
          <div className="hidden md:block">
            <KeyGrid
              merchantId={merchantId}
              rows={rows}
              total={total}
              page={query.page}
              pageSize={query.pageSize}
              sort={query.sort}
              dir={query.dir}
              may={{ toggle: may.toggle, owner }}
              hasTotp={totp}
            />
          </div>
          <div className="md:hidden">{cards}</div>
        </>
      ) : (
        <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-14 text-center">
          <h3 className="font-semibold text-slate-900">
            {query.q ? "No keys match your search" : query.channel ? `No ${CHANNEL_LABELS[query.channel]} keys yet` : "No API keys yet"}
          </h3>
          <p className="mt-1 text-sm text-slate-600">
            {query.q
              ? "Try another name or access key."
              : query.channel
                ? "This channel has no active keys. Create one to start integrating."
                : "This account has no active channels yet. Create a key to start integrating."}
          </p>
          {!query.q && query.channel && environments.length ? (
            <div className="mt-5 flex justify-center">
              {/* A channel with no key left: the help pages' "Generate New Key" (it also opens on ?new=1). */}
              <CreateKeyButton
                merchantId={merchantId}
                environments={environments}
                defaults={defaults}
                autoOpen={autoOpen}
                label="Generate New Key"
              />
            </div>
          ) : !query.q && create ? (
            <div className="mt-5 flex justify-center">{create}</div>
          ) : null}
        </div>
      )}
      <ActiveChannels
        merchantId={merchantId}
        channels={activeChannels}
        canManage={may.writeIn.includes("production")}
        canChangeCredentials={owner}
        hasTotp={totp}
        generateHrefs={environments.length ? Object.fromEntries(activeChannels.map((c) => [c.channel, hrefFor(c.channel, true)])) : {}}
      />
    </section>
  );
}
