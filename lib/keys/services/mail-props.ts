import "server-only";
import type { Tx } from "@/lib/db/client";
import type { ApiKey } from "@/lib/generated/prisma/client";
import type { KeyMailProps } from "@/lib/mail/types";
import { appUrl } from "@/lib/core/app-url";
import type { Actor } from "@/lib/core/actor";

export async function keyMailProps(
  tx: Tx,
  key: Pick<ApiKey, "id" | "name" | "environment" | "merchantId">,
  actor: Pick<Actor, "email"> | null,
  now: Date,
  extra: Partial<KeyMailProps> = {},
): Promise<KeyMailProps> {
  const merchant = await tx.merchant.findUniqueOrThrow({ where: { id: key.merchantId }, select: { name: true } });
  return {
    merchantName: merchant.name,
    keyName: key.name,
    environment: key.environment,
    actor: actor?.email ?? null,
    at: now.toISOString(),
    detailsUrl: `${appUrl()}/merchants/${key.merchantId}/developers/keys/${key.id}`,
    ...extra,
  };
}
