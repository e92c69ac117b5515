import { Badge, type BadgeTone } from "@/components/ui/badge";
import { STATUS_LABELS, type DisplayStatus } from "@/lib/keys/types";
import { formatDateTime } from "./format";

const TONE: Record<DisplayStatus, BadgeTone> = { ENABLED: "green", DISABLED: "amber", REVOKED: "red", EXPIRED: "slate" };

export function StatusBadge({ status }: { status: DisplayStatus }) {
  return (
    <Badge tone={TONE[status]}>
      <span aria-hidden="true" className="h-1.5 w-1.5 rounded-full bg-current opacity-70" />
      {STATUS_LABELS[status]}
    </Badge>
  );
}

/** A leak report's mark: red until the key is rotated, revoked or an owner dismisses it. */
export function ExposedBadge({ at, url }: { at: string; url: string | null }) {
  return (
    <span title={`Found exposed ${formatDateTime(at)}${url ? ` at ${url}` : ""}`}>
      <Badge tone="red">
        <span aria-hidden="true">⚠</span>Exposed
      </Badge>
    </span>
  );
}
