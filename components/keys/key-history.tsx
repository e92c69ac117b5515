import type { KeyDetailsDto } from "@/lib/data/key-details";
import { formatDateTime } from "./format";

const LABELS: Record<string, string> = {
  "key.created": "Created",
  "key.duplicated": "Created as a duplicate",
  "key.updated": "Name or description changed",
  "key.ip_allow_list_updated": "IP allow-list changed",
  "key.disabled": "Disabled",
  "key.enabled": "Enabled",
  "key.revoked": "Revoked",
  "key.deleted": "Deleted",
  "key.regenerated": "Secret regenerated",
  "key.rotated": "Rotated",
  "key.rolled_back": "Rotation rolled back",
  "key.grace_extended": "Grace window extended",
  "key.previous_expired": "Previous key stopped working (grace window ended)",
  "key.previous_revoked": "Previous key revoked",
  "key.exposed": "Reported exposed",
  "key.exposure_dismissed": "Exposed mark dismissed",
};

export function KeyHistory({ data }: { data: KeyDetailsDto }) {
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-2 gap-3 text-sm">
        <div>
          <dt className="text-slate-600">Created by</dt>
          <dd className="font-medium text-slate-900">{data.createdBy}</dd>
          <dd className="text-xs text-slate-600">{formatDateTime(data.createdAt)}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Latest update</dt>
          <dd className="font-medium text-slate-900">{data.updatedBy}</dd>
          <dd className="text-xs text-slate-600">{formatDateTime(data.updatedAt)}</dd>
        </div>
      </dl>
      <ol aria-label="Events, newest first" className="divide-y divide-slate-100 border-t border-slate-100">
        {data.history.map((e) => (
          <li key={e.id} className="flex items-baseline justify-between gap-3 py-2 text-sm">
            <span>
              <span className="font-medium text-slate-900">{LABELS[e.action] ?? e.action}</span>
              <span className="text-slate-600">
                {" "}
                · {e.actor}
                {e.clientIp ? ` from ${e.clientIp}` : ""}
              </span>
            </span>
            <time dateTime={e.at} className="shrink-0 text-xs text-slate-600">
              {formatDateTime(e.at)}
            </time>
          </li>
        ))}
      </ol>
    </div>
  );
}
