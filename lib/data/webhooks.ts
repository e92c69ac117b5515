import "server-only";
import { getDb } from "@/lib/db/client";
import type { Environment } from "@/lib/keys/types";
import { messageId } from "@/lib/webhooks/outbox";

export interface SignerChoiceDto {
  keyId: string;
  name: string;
  /** Its current credential has a derived signing secret (keys older than webhooks have none). */
  canSign: boolean;
}

export interface EndpointDto {
  id: string;
  url: string;
  description: string;
  environment: Environment;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  version: number;
  signer: SignerChoiceDto | null;
  createdAt: string;
  lastAttempt: { ok: boolean; statusCode: number | null; at: string } | null;
}

export interface AttemptDto {
  id: string;
  deliveryId: string;
  eventType: string;
  messageId: string;
  statusCode: number | null;
  ok: boolean;
  latencyMs: number;
  responseBody: string;
  error: string | null;
  at: string;
}

const signerSelect = {
  id: true,
  name: true,
  credentials: { where: { slot: "CURRENT" as const }, select: { webhookSigningSecret: { select: { credentialId: true } } } },
} as const;
const signerDto = (k: { id: string; name: string; credentials: { webhookSigningSecret: { credentialId: string } | null }[] }) => ({
  keyId: k.id,
  name: k.name,
  canSign: k.credentials.some((c) => c.webhookSigningSecret),
});

type EndpointRow = {
  id: string;
  url: string;
  description: string;
  environment: Environment;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  version: number;
  createdAt: Date;
  signingKey: Parameters<typeof signerDto>[0] | null;
};
type AttemptRow = { ok: boolean; statusCode: number | null; createdAt: Date };
const endpointDto = (e: EndpointRow, last: AttemptRow | null | undefined): EndpointDto => ({
  id: e.id,
  url: e.url,
  description: e.description,
  environment: e.environment,
  events: e.events,
  enabled: e.enabled,
  disabledReason: e.disabledReason,
  version: e.version,
  signer: e.signingKey ? signerDto(e.signingKey) : null,
  createdAt: e.createdAt.toISOString(),
  lastAttempt: last ? { ok: last.ok, statusCode: last.statusCode, at: last.createdAt.toISOString() } : null,
});

/** The Webhooks page: one environment's endpoints, and the REST keys that may be picked to sign. */
export async function listWebhookEndpoints(merchantId: string, environment: Environment) {
  const db = await getDb();
  const [endpoints, keys] = await Promise.all([
    db.webhookEndpoint.findMany({
      where: { merchantId, environment },
      orderBy: { createdAt: "desc" },
      include: { signingKey: { select: signerSelect } },
    }),
    db.apiKey.findMany({
      where: { merchantId, environment, channel: "REST", status: { not: "REVOKED" } },
      orderBy: { createdAt: "desc" },
      take: 200,
      select: signerSelect,
    }),
  ]);
  const last = await Promise.all(
    endpoints.map((e) => db.webhookAttempt.findFirst({ where: { endpointId: e.id }, orderBy: { createdAt: "desc" } })),
  );
  return {
    endpoints: endpoints.map((e, i) => endpointDto(e, last[i])),
    signers: keys.map(signerDto),
  };
}

/** One endpoint and its latest attempts, newest first; null when it is not this merchant's. */
export async function webhookEndpointDetails(merchantId: string, endpointId: string, take = 100) {
  if (!/^[0-9a-f-]{36}$/i.test(endpointId)) return null;
  const db = await getDb();
  const e = await db.webhookEndpoint.findFirst({
    where: { id: endpointId, merchantId },
    include: { signingKey: { select: signerSelect } },
  });
  if (!e) return null;
  const [attempts, signers] = await Promise.all([
    db.webhookAttempt.findMany({
      where: { endpointId },
      orderBy: { createdAt: "desc" },
      take,
      include: { delivery: { select: { event: { select: { id: true, type: true } } } } },
    }),
    db.apiKey.findMany({
      where: { merchantId, environment: e.environment, channel: "REST", status: { not: "REVOKED" } },
      orderBy: { createdAt: "desc" },
      take: 200,
      select: signerSelect,
    }),
  ]);
  const endpoint = endpointDto(e, attempts[0]);
  return {
    endpoint,
    signers: signers.map(signerDto),
    attempts: attempts.map(
      (a): AttemptDto => ({
        id: a.id,
        deliveryId: a.deliveryId,
        eventType: a.delivery.event.type,
        messageId: messageId(a.delivery.event.id),
        statusCode: a.statusCode,
        ok: a.ok,
        latencyMs: a.latencyMs,
        responseBody: a.responseBody,
        error: a.error,
        at: a.createdAt.toISOString(),
      }),
    ),
  };
}
