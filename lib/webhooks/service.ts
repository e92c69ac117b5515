import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { inTransaction } from "@/lib/core/transaction";
import { recordAudit } from "@/lib/audit/record";
import { assertCan } from "@/lib/keys/services/guards";
import type { Environment } from "@/lib/keys/types";
import { PING } from "./events";
import { writeEvent } from "./outbox";
import type { CreateEndpointValues, UpdateEndpointValues } from "./schema";
import { canSign } from "./signers";
import { endpointUrlProblem } from "./url-safety";

export const ENDPOINT_NOT_FOUND = "This webhook endpoint does not exist.";
export const NO_SIGNING_SECRET = "This key was created before webhooks: re-generate or rotate this key to sign webhooks with it.";

/** An endpoint, always looked up through the actor's merchant: another merchant's id answers like a missing one. */
async function findEndpoint(tx: Tx, actor: Actor, endpointId: string, lock = false) {
  if (lock)
    await tx.$queryRaw`SELECT id FROM webhook_endpoints WHERE id = ${endpointId}::uuid AND merchant_id = ${actor.merchantId}::uuid FOR UPDATE`;
  const ep = await tx.webhookEndpoint.findFirst({ where: { id: endpointId, merchantId: actor.merchantId } });
  if (!ep) throw new AppError("NOT_FOUND", { message: ENDPOINT_NOT_FOUND });
  return ep;
}

/** The signer: a REST key of the endpoint's merchant and environment, not revoked, with a derived signing secret. */
async function assertSigner(tx: Tx, actor: Actor, keyId: string, environment: Environment) {
  const key = await tx.apiKey.findFirst({ where: { id: keyId, merchantId: actor.merchantId } });
  if (!key) throw new AppError("NOT_FOUND");
  const problem =
    key.environment !== environment || key.channel !== "REST"
      ? "Choose a REST key of this environment."
      : key.status === "REVOKED"
        ? "A revoked key cannot sign webhooks. Choose another key."
        : !(await canSign(tx, key.id))
          ? NO_SIGNING_SECRET
          : null;
  if (problem) throw new AppError("VALIDATION", { fieldErrors: { signingKeyId: problem } });
}

/** DNS is asked before the transaction: no row waits on a lookup. */
async function assertUrl(url: string) {
  const problem = await endpointUrlProblem(url);
  if (problem) throw new AppError("VALIDATION", { fieldErrors: { url: problem } });
}

const auditView = (ep: { url: string; environment: string; events: string[]; signingKeyId: string | null; description: string }) => ({
  url: ep.url,
  environment: ep.environment,
  events: ep.events,
  signingKeyId: ep.signingKeyId,
  description: ep.description,
});

export async function createEndpoint(db: Db | Tx, actor: Actor, input: CreateEndpointValues, now = new Date()) {
  assertCan(actor, "webhooks.write", input.environment);
  await assertUrl(input.url);
  return inTransaction(db, async (tx) => {
    await assertSigner(tx, actor, input.signingKeyId, input.environment);
    const ep = await tx.webhookEndpoint.create({
      data: {
        merchantId: actor.merchantId,
        environment: input.environment,
        url: input.url,
        description: input.description,
        events: [...new Set(input.events)],
        signingKeyId: input.signingKeyId,
        createdById: actor.userId,
        createdAt: now,
        updatedAt: now,
      },
    });
    await recordAudit(tx, actor, {
      merchantId: actor.merchantId,
      action: "webhook.endpoint_created",
      after: { endpointId: ep.id, ...auditView(ep) },
    });
    return { endpointId: ep.id };
  });
}

export async function updateEndpoint(db: Db | Tx, actor: Actor, input: UpdateEndpointValues, now = new Date()) {
  assertCan(actor, "webhooks.write");
  await assertUrl(input.url);
  return inTransaction(db, async (tx) => {
    const ep = await findEndpoint(tx, actor, input.endpointId, true);
    if (ep.version !== input.version)
      throw new AppError("CONFLICT", { message: "This endpoint was changed meanwhile. Reload the page and try again." });
    await assertSigner(tx, actor, input.signingKeyId, ep.environment);
    const updated = await tx.webhookEndpoint.update({
      where: { id: ep.id },
      data: {
        url: input.url,
        description: input.description,
        events: [...new Set(input.events)],
        signingKeyId: input.signingKeyId,
        version: { increment: 1 },
        updatedAt: now,
      },
    });
    await recordAudit(tx, actor, {
      merchantId: actor.merchantId,
      action: "webhook.endpoint_updated",
      before: { endpointId: ep.id, ...auditView(ep) },
      after: { endpointId: ep.id, ...auditView(updated) },
    });
    return { endpointId: ep.id };
  });
}

/** Disable stops new events and drops pending deliveries; Enable starts a fresh failure clock. */
export async function setEndpointEnabled(db: Db | Tx, actor: Actor, endpointId: string, enabled: boolean, now = new Date()) {
  assertCan(actor, "webhooks.write");
  return inTransaction(db, async (tx) => {
    const ep = await findEndpoint(tx, actor, endpointId, true);
    if (ep.enabled === enabled) return { endpointId: ep.id, enabled };
    await tx.webhookEndpoint.update({
      where: { id: ep.id },
      data: { enabled, disabledReason: null, failingSince: null, version: { increment: 1 }, updatedAt: now },
    });
    if (!enabled)
      await tx.webhookDelivery.updateMany({
        where: { endpointId: ep.id, status: "PENDING" },
        data: { status: "DEAD", lastError: "The endpoint was disabled." },
      });
    await recordAudit(tx, actor, {
      merchantId: actor.merchantId,
      action: enabled ? "webhook.endpoint_enabled" : "webhook.endpoint_disabled",
      before: { endpointId: ep.id, url: ep.url, enabled: ep.enabled },
      after: { endpointId: ep.id, url: ep.url, enabled },
    });
    return { endpointId: ep.id, enabled };
  });
}

export async function deleteEndpoint(db: Db | Tx, actor: Actor, endpointId: string) {
  assertCan(actor, "webhooks.write");
  return inTransaction(db, async (tx) => {
    const ep = await findEndpoint(tx, actor, endpointId, true);
    await tx.webhookEndpoint.delete({ where: { id: ep.id } });
    await recordAudit(tx, actor, {
      merchantId: actor.merchantId,
      action: "webhook.endpoint_deleted",
      before: { endpointId: ep.id, ...auditView(ep) },
    });
    return { endpointId: ep.id };
  });
}

/** "Send test event": a `ping` through the same outbox, to this endpoint only. */
export async function sendTestEvent(db: Db | Tx, actor: Actor, endpointId: string, now = new Date()) {
  assertCan(actor, "webhooks.write");
  return inTransaction(db, async (tx) => {
    const ep = await findEndpoint(tx, actor, endpointId);
    if (!ep.enabled) throw new AppError("INVALID_TRANSITION", { message: "Enable this endpoint to send it a test event." });
    const payload = {
      type: PING,
      timestamp: now.toISOString(),
      data: { endpointId: ep.id, merchantId: ep.merchantId, environment: ep.environment },
    };
    await writeEvent(tx, { merchantId: ep.merchantId, environment: ep.environment, type: PING, payload }, [ep]);
    await recordAudit(tx, actor, { merchantId: actor.merchantId, action: "webhook.test_sent", after: { endpointId: ep.id, url: ep.url } });
    return { endpointId: ep.id };
  });
}

/** "Resend": the same event (same webhook-id) is due again now, with a fresh set of retries. */
export async function resendDelivery(db: Db | Tx, actor: Actor, deliveryId: string, now = new Date()) {
  assertCan(actor, "webhooks.write");
  return inTransaction(db, async (tx) => {
    const d = await tx.webhookDelivery.findFirst({
      where: { id: deliveryId, endpoint: { merchantId: actor.merchantId } },
      include: { endpoint: { select: { id: true, url: true, enabled: true } }, event: { select: { type: true } } },
    });
    if (!d) throw new AppError("NOT_FOUND", { message: "This delivery does not exist." });
    if (!d.endpoint.enabled) throw new AppError("INVALID_TRANSITION", { message: "Enable this endpoint to resend to it." });
    await tx.webhookDelivery.update({ where: { id: d.id }, data: { status: "PENDING", attempts: 0, nextAttemptAt: now, lastError: null } });
    await recordAudit(tx, actor, {
      merchantId: actor.merchantId,
      action: "webhook.delivery_resent",
      after: { endpointId: d.endpoint.id, deliveryId: d.id, eventId: d.eventId, type: d.event.type },
    });
    return { deliveryId: d.id };
  });
}
