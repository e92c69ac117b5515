import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Environment } from "@/lib/keys/types";
import { eventExtras, eventTypeOf, keyEventPayload } from "./events";

/**
 * Writes a key change's webhook event in the change's own transaction: the event row and one
 * delivery row per enabled endpoint of the key's merchant and environment that subscribes to it.
 * Nothing is written when no endpoint listens. Called once per change, from recordChange.
 */
export async function enqueueKeyEvent(
  tx: Tx,
  e: { merchantId: string; keyId: string; action: string; after?: object | null; at?: Date },
): Promise<number> {
  const type = eventTypeOf(e.action);
  if (!type) return 0;
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { merchantId: e.merchantId, enabled: true, events: { has: type } },
    select: { id: true, environment: true },
  });
  if (!endpoints.length) return 0;
  const key = await tx.apiKey.findUnique({ where: { id: e.keyId } });
  if (!key) return 0;
  const listening = endpoints.filter((p) => p.environment === key.environment);
  if (!listening.length) return 0;
  const payload = keyEventPayload(type, key, e.at ?? new Date(), eventExtras(e.after));
  return writeEvent(tx, { merchantId: key.merchantId, environment: key.environment, type, payload }, listening);
}

/** One event and its deliveries: the same event (and webhook-id) for every endpoint. */
export async function writeEvent(
  tx: Tx,
  event: { merchantId: string; environment: Environment; type: string; payload: object },
  endpoints: readonly { id: string }[],
): Promise<number> {
  const row = await tx.webhookEvent.create({ data: { ...event, payload: { ...event.payload } }, select: { id: true } });
  const res = await tx.webhookDelivery.createMany({
    data: endpoints.map((p) => ({ eventId: row.id, endpointId: p.id, idempotencyKey: `${row.id}:${p.id}` })),
    skipDuplicates: true,
  });
  return res.count;
}

/** The webhook-id of an event: the same on every retry and every resend. */
export const messageId = (eventId: string) => `msg_${eventId.replaceAll("-", "")}`;
