import "server-only";
import { maskAccessKey } from "@/lib/keys/secret";
import { getDb } from "@/lib/db/client";
import { can } from "@/lib/auth/roles";
import type { Environment, KeyStatus, Role } from "@/lib/keys/types";

export interface CredentialRowDto {
  keyId: string;
  name: string;
  status: KeyStatus;
  current: string | null;
  previous: { accessKey: string | null; expiresAt: string } | null;
  lastRotatedAt: string | null;
}

/** Credentials Details: every non-revoked key of one environment with its current and previous credential. */
export async function listCredentials(merchantId: string, environment: Environment, role: Role, now = new Date()) {
  const db = await getDb();
  const keys = await db.apiKey.findMany({
    where: { merchantId, environment, status: { not: "REVOKED" } },
    orderBy: [{ status: "asc" }, { createdAt: "desc" }],
    take: 500,
    select: { id: true, name: true, status: true, lastRotatedAt: true, credentials: { select: { slot: true, accessKey: true, expiresAt: true } } },
  });
  const show = (s: string) => (can(role, "copyAccessKey") ? s : maskAccessKey(s));
  const rows: CredentialRowDto[] = keys.map((k) => {
    const cur = k.credentials.find((c) => c.slot === "CURRENT");
    const prev = k.credentials.find((c) => c.slot === "PREVIOUS" && c.expiresAt && c.expiresAt > now);
    return {
      keyId: k.id, name: k.name, status: k.status, current: cur ? show(cur.accessKey) : null,
      previous: prev ? { accessKey: show(prev.accessKey), expiresAt: prev.expiresAt!.toISOString() } : null,
      lastRotatedAt: k.lastRotatedAt?.toISOString() ?? null,
    };
  });
  return { rows, enabledCount: rows.filter((r) => r.status === "ENABLED").length, openWindows: rows.filter((r) => r.previous).length };
}
