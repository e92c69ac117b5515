import { Badge, type BadgeTone } from "@/components/ui/badge";
import { STATUS_LABELS, type DisplayStatus } from "@/lib/keys/types";

const TONE: Record<DisplayStatus, BadgeTone> = { ENABLED: "green", DISABLED: "amber", REVOKED: "red", EXPIRED: "slate" };

export function StatusBadge({ status }: { status: DisplayStatus }) {
  return (
    <Badge tone={TONE[status]}>
      <span aria-hidden="true" className="h-1.5 w-1.5 rounded-full bg-current opacity-70" />
      {STATUS_LABELS[status]}
    </Badge>
  );
}
