import "server-only";
import { getDb } from "@/lib/db/client";
import { can } from "@/lib/core/permissions";
import { maskAccessKey } from "@/lib/keys/secret";
import type { Role } from "@/lib/keys/types";
import { rotationState } from "@/lib/keys/rotation";

/** What a key card shows beyond its grid row: the version it acts on, and the rotation's previous key. */
export interface KeyCardExtraDto {
  version: number;
  lastRotatedAt: string | null;
  /** The current credential is a user-chosen username and password: rotating it asks for new ones (or a generated pair). */
  ownCredentials: boolean;
  /** rotationState's answer: the card offers "Rotate key" exactly when the key page offers "Rotate". */
  rotatable: boolean;
  previous: { accessKey: string | null; accessKeyHint: string; expiresAt: string } | null;
}

/** For the keys on one page of cards: a previous credential only while its grace window is open. */
export async function keyCardExtras(
  merchantId: string,
  keyIds: string[],
  role: Role,
  now = new Date(),
): Promise<Record<string, KeyCardExtraDto>> {
  if (!keyIds.length) return {};
  const db = await getDb();
  const keys = await db.apiKey.findMany({
    where: { merchantId, id: { in: keyIds } },
    select: {
      id: true,
      version: true,
      status: true,
      expiresAt: true,
      lastRotatedAt: true,
      credentials: { select: { slot: true, kind: true, accessKey: true, expiresAt: true, rotatedAt: true, graceExtended: true } },
    },
  });
  const mayCopy = can(role, "keys.copy");
  return Object.fromEntries(
    keys.map((k) => {
      const state = rotationState(
        k,
        k.credentials.find((c) => c.slot === "PREVIOUS"),
        now,
      );
      const prev = state.windowOpen ? k.credentials.find((c) => c.slot === "PREVIOUS") : undefined;
      return [
        k.id,
        {
          version: k.version,
          lastRotatedAt: k.lastRotatedAt?.toISOString() ?? null,
          ownCredentials: k.credentials.some((c) => c.slot === "CURRENT" && c.kind === "USER_CHOSEN"),
          rotatable: state.rotate.ok,
          previous: prev?.expiresAt
            ? {
                accessKey: mayCopy ? prev.accessKey : null,
                accessKeyHint: maskAccessKey(prev.accessKey),
                expiresAt: prev.expiresAt.toISOString(),
              }
            : null,
        },
      ];
    }),
  );
}
