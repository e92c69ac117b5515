import type { KeyDetailsDto } from "@/lib/data/key-details";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { Countdown } from "./countdown";
import { formatDateTime } from "./format";

/** Current and (during a rotation's grace window) previous credential, with the previous one's countdown. */
export interface PreviousTraffic {
  lastHour: number;
  lastUsedAt: string | null;
  lastClientIps: string[];
  safeToRevoke: boolean;
}

export function CredentialsCard({ data, traffic }: { data: KeyDetailsDto; traffic?: PreviousTraffic | null }) {
  // Whether the previous credential still works is decided on the server (lib/keys), not by this clock.
  const list = data.credentials.filter((c) => c.slot === "CURRENT" || data.rotation.windowOpen);
  return (
    <div className="space-y-3">
      <ul aria-label="Credentials" className="space-y-3">
        {list.map((c) => (
          <li key={c.id} className="rounded-lg border border-slate-200 p-3 text-sm">
            <div className="flex items-center justify-between gap-2">
              <Badge tone={c.slot === "CURRENT" ? "green" : "amber"}>{c.slot === "CURRENT" ? "Current" : "Previous"}</Badge>
              {c.slot === "PREVIOUS" && c.expiresAt ? (
                <span className="text-xs text-amber-900">
                  Stops working in <Countdown to={c.expiresAt} />
                </span>
              ) : (
                <span className="text-xs text-slate-600">Created {formatDateTime(c.createdAt)}</span>
              )}
            </div>
            <p className="mt-2 flex items-center gap-1">
              <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{c.accessKey ?? c.accessKeyHint}</code>
              {c.accessKey ? (
                <CopyButton
                  value={c.accessKey}
                  label={`Copy ${c.slot === "CURRENT" ? "current" : "previous"} access key`}
                  toast="Access key copied"
                />
              ) : null}
            </p>
            <p className="mt-1 font-mono text-xs text-slate-600">{c.secretHint}</p>
            {c.slot === "PREVIOUS" && c.expiresAt ? (
              <p className="mt-1 text-xs text-slate-600">
                Until {formatDateTime(c.expiresAt)}
                {c.graceExtended ? " (extended)" : ""}
              </p>
            ) : null}
            {c.slot === "PREVIOUS" && traffic ? (
              <div
                aria-label="Traffic still on the previous key"
                role="group"
                className="mt-2 rounded-md bg-slate-50 p-2 text-xs text-slate-700"
              >
                <p>
                  <strong>Traffic still on the previous key:</strong> {traffic.lastHour} in the last hour · last used{" "}
                  {traffic.lastUsedAt ? formatDateTime(traffic.lastUsedAt) : "never"}
                </p>
                {traffic.lastClientIps.length ? <p>From {traffic.lastClientIps.join(", ")}</p> : null}
                {traffic.safeToRevoke ? (
                  <p className="mt-1 font-medium text-emerald-800">
                    Safe to revoke now: not in use in the last 15 minutes. Use “Revoke previous key now” under Actions.
                  </p>
                ) : null}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <p className="text-xs text-slate-600">Last rotated: {data.lastRotatedAt ? formatDateTime(data.lastRotatedAt) : "never"}</p>
    </div>
  );
}
