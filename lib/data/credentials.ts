import "server-only";
import { maskAccessKey } from "@/lib/keys/secret";
import { getDb } from "@/lib/db/client";
import { can } from "@/lib/core/permissions";
import type { Environment, KeyStatus, Role } from "@/lib/keys/types";
import { rotationState, type ShownKey } from "@/lib/keys/rotation";

export interface CredentialRowDto {
  keyId: string;
  name: string;
  status: KeyStatus;
  version: number;
  /** Included in "Rotate API Keys": Enabled and not expired. */
  rotatable: boolean;
  current: string | null;
  previous: { accessKey: string | null; expiresAt: string } | null;
  lastRotatedAt: string | null;
  /** Its current credential is a username and password of the user's own. */
  ownCredentials: boolean;
}

/** Credentials Details: every non-revoked key of one environment with its current and previous credential. */
export async function listCredentials(merchantId: string, environment: Environment, role: Role, now = new Date()) {
  const db = await getDb();
  const keys = await db.apiKey.findMany({
    where: { merchantId, environment, status: { not: "REVOKED" } },
    orderBy: [{ status: "asc" }, { createdAt: "desc" }],
    take: 500,
    select: {
      id: true,
      name: true,
      status: true,
      version: true,
      expiresAt: true,
      lastRotatedAt: true,
      credentials: { select: { slot: true, kind: true, accessKey: true, expiresAt: true } },
    },
  });
  const show = (s: string) => (can(role, "keys.copy") ? s : maskAccessKey(s));
  const rows: CredentialRowDto[] = keys.map((k) => {
    const cur = k.credentials.find((c) => c.slot === "CURRENT");
    const prev = k.credentials.find((c) => c.slot === "PREVIOUS" && c.expiresAt && c.expiresAt > now);
    return {
      keyId: k.id,
      name: k.name,
      status: k.status,
      version: k.version,
      // Bulk rotation's rule is the single rotation's, its window aside (a bulk rotation decides those itself).
      rotatable: rotationState(k, null, now).rotate.ok,
      current: cur ? show(cur.accessKey) : null,
      previous: prev ? { accessKey: show(prev.accessKey), expiresAt: prev.expiresAt!.toISOString() } : null,
      lastRotatedAt: k.lastRotatedAt?.toISOString() ?? null,
      ownCredentials: cur?.kind === "USER_CHOSEN",
    };
  });
  // What the bulk actions were shown: they send it back, and a batch that changed is refused whole.
  const shownOf = (list: CredentialRowDto[]): ShownKey[] => list.map((r) => ({ keyId: r.keyId, version: r.version }));
  const rotatable = shownOf(rows.filter((r) => r.rotatable));
  const inWindow = shownOf(rows.filter((r) => r.previous));
  // Named before a bulk rotation is confirmed: keys it leaves mid-rotation, and own credentials it replaces with a generated pair.
  const inBatch = rows.filter((r) => r.rotatable);
  const midRotation = inBatch.filter((r) => r.previous).map((r) => ({ name: r.name, previousExpiresAt: r.previous!.expiresAt }));
  const ownCredentials = inBatch.filter((r) => r.ownCredentials).map((r) => r.name);
  return { rows, enabledCount: rotatable.length, openWindows: inWindow.length, rotatable, inWindow, midRotation, ownCredentials };
}
