"use client";
import Link from "next/link";
import type { KeyRowDto } from "@/lib/data/keys";
import type { KeyCardExtraDto } from "@/lib/data/key-cards";
import { CHANNEL_LABELS, ENVIRONMENT_LABELS } from "@/lib/keys/types";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { ExposedBadge, StatusBadge } from "./status-badge";
import { StatusSwitch } from "./status-switch";
import { Countdown } from "./countdown";
import { formatDateTime } from "./format";

export interface CardAbilities {
  toggle: boolean;
  rotate: boolean;
}

function AccessKey({ value, hint, copyLabel }: { value: string | null; hint: string; copyLabel: string }) {
  return (
    <span className="flex min-w-0 items-center gap-1">
      <code className="truncate rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">{value ?? hint}</code>
      {value ? <CopyButton value={value} label={copyLabel} toast="Access key copied" /> : null}
    </span>
  );
}

/** One key as a card: during a rotation's delay both keys, "Current" and "Previous" with its countdown. */
export function KeyCard({
  merchantId,
  row,
  extra,
  may,
  onRotate,
}: {
  merchantId: string;
  row: KeyRowDto;
  extra?: KeyCardExtraDto;
  may: CardAbilities;
  onRotate: () => void;
}) {
  const previous = extra?.previous ?? null;
  const headingId = `key-card-${row.id}`;
  const live = row.status === "ENABLED" || row.status === "DISABLED";
  return (
    <article aria-labelledby={headingId} className="flex flex-col rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex items-start justify-between gap-2">
        <h3 id={headingId} className="min-w-0 font-semibold text-slate-900">
          <Link href={`/merchants/${merchantId}/developers/keys/${row.id}`} className="break-words hover:text-brand-700 hover:underline">
            {row.name}
          </Link>
        </h3>
        {may.rotate && extra?.rotatable ? (
          <button
            type="button"
            onClick={onRotate}
            aria-label="Rotate key"
            title="Rotate key"
            className="-mr-1 -mt-1 inline-flex h-8 w-8 shrink-0 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900"
          >
            <svg aria-hidden="true" viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.75" className="h-4 w-4">
              <path d="M16 10a6 6 0 1 1-1.76-4.24M16 3.5v3h-3" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
          </button>
        ) : null}
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-1.5">
        <StatusBadge status={row.status} />
        {row.exposed ? <ExposedBadge at={row.exposed.at} url={row.exposed.url} /> : null}
        <Badge tone={row.environment === "production" ? "blue" : "slate"}>{ENVIRONMENT_LABELS[row.environment]}</Badge>
        <Badge>{CHANNEL_LABELS[row.channel]}</Badge>
      </div>
      {previous ? (
        <ul aria-label={`Keys of ${row.name}`} className="mt-3 space-y-2 text-sm">
          <li className="space-y-1">
            <Badge tone="green">Current</Badge>
            <AccessKey value={row.accessKey} hint={row.accessKeyHint} copyLabel={`Copy current access key of ${row.name}`} />
          </li>
          <li className="space-y-1 rounded-md bg-amber-50 p-2 ring-1 ring-amber-600/20">
            <Badge tone="amber">Previous</Badge>
            <AccessKey value={previous.accessKey} hint={previous.accessKeyHint} copyLabel={`Copy previous access key of ${row.name}`} />
            <p className="text-xs text-amber-950">
              Expires {formatDateTime(previous.expiresAt)} ·{" "}
              <span className="font-medium">
                in <Countdown to={previous.expiresAt} />
              </span>
            </p>
          </li>
        </ul>
      ) : (
        <div className="mt-3 text-sm">
          <AccessKey value={row.accessKey} hint={row.accessKeyHint} copyLabel={`Copy access key of ${row.name}`} />
        </div>
      )}
      <div className="mt-auto flex flex-wrap items-end justify-between gap-2 pt-4">
        {may.toggle && live && extra ? (
          <StatusSwitch
            merchantId={merchantId}
            keyId={row.id}
            keyName={row.name}
            version={extra.version}
            enabled={row.status === "ENABLED"}
          />
        ) : (
          <span />
        )}
        <p className="ml-auto text-xs text-slate-600">
          Last rotated {extra?.lastRotatedAt ? formatDateTime(extra.lastRotatedAt) : "never"}
        </p>
      </div>
    </article>
  );
}
