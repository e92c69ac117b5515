import "server-only";
import { metrics } from "@/lib/server/metrics";
import type { Db } from "@/lib/db/client";
import { type ClaimedRow, type OutboxQueue } from "@/lib/jobs/outbox";
import { messageId } from "./outbox";
import { postWebhook, type PostResult } from "./http-post";
import { MAX_ATTEMPTS, retryDelayMs } from "./schedule";
import { signingSecretsOf } from "./signers";
import { signDelivery } from "./signing";
import { type UrlPolicy, urlPolicy } from "./url-safety";
import { disableFailingEndpoint } from "./auto-disable";

interface DeliveryRow extends ClaimedRow {
  event_id: string;
  endpoint_id: string;
}
type Outcome = { kind: "sent" } | { kind: "cancelled"; reason: string };

const LEASE_MS = 5 * 60_000;

/** Thrown for an attempt that got an answer other than 2xx, or none. */
class DeliveryFailed extends Error {}

/**
 * The webhook outbox as a queue of the job runner (lib/jobs/outbox.ts): leases, SKIP LOCKED and
 * retries are the runner's; this sends one delivery, keeps the attempt, and tracks the endpoint.
 */
export function webhookQueue(db: Db, policy: () => UrlPolicy = urlPolicy, post = postWebhook): OutboxQueue<DeliveryRow, Outcome> {
  return {
    name: "webhooks",
    table: "webhook_deliveries",
    columns: ["event_id", "endpoint_id"],
    leaseMs: LEASE_MS,
    maxAttempts: MAX_ATTEMPTS,
    backoffMs: (attempts) => retryDelayMs(attempts),
    // One endpoint's deliveries go one at a time (its failure count and disabling see
    // one attempt after another); different endpoints' go side by side, so a receiver that hangs
    // until the timeout holds up only its own.
    concurrency: 8,
    laneOf: (row) => row.endpoint_id,
    laneColumn: "endpoint_id", // and across instances

    async deliver(row) {
      const endpoint = await db.webhookEndpoint.findUnique({ where: { id: row.endpoint_id } });
      if (!endpoint?.enabled) return { kind: "cancelled", reason: "The endpoint was disabled." };
      const event = await db.webhookEvent.findUniqueOrThrow({ where: { id: row.event_id } });
      const body = JSON.stringify(event.payload);
      const now = new Date();
      const secrets = endpoint.signingKeyId ? await signingSecretsOf(db, endpoint.signingKeyId, now) : [];
      let result: PostResult;
      if (!secrets.length) {
        result = {
          statusCode: null,
          latencyMs: 0,
          body: "",
          error: "The signing key has no signing secret: choose another key, or re-generate or rotate this one.",
        };
      } else {
        result = await post(endpoint.url, signDelivery(messageId(event.id), now, body, secrets), body, policy());
      }
      const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
      await db.webhookAttempt.create({
        data: {
          deliveryId: row.id,
          endpointId: endpoint.id,
          statusCode: result.statusCode,
          ok,
          latencyMs: result.latencyMs,
          responseBody: result.body,
          error: result.error?.slice(0, 500) ?? null,
          createdAt: now,
        },
      });
      if (!ok) throw new DeliveryFailed(result.error ?? `HTTP ${result.statusCode}`);
      return { kind: "sent" };
    },
    async delivered(d, row, outcome) {
      if (outcome.kind === "cancelled") {
        await d.webhookDelivery.update({ where: { id: row.id }, data: { status: "DEAD", lastError: outcome.reason } });
        return;
      }
      await d.webhookDelivery.update({ where: { id: row.id }, data: { status: "SENT", deliveredAt: new Date(), lastError: null } });
      await d.webhookEndpoint.updateMany({ where: { id: row.endpoint_id, failingSince: { not: null } }, data: { failingSince: null } });
    },
    async failed(d, row, f) {
      metrics()?.webhookFailures.inc();
      await d.webhookDelivery.update({
        where: { id: row.id },
        data: { status: f.dead ? "DEAD" : "PENDING", lastError: f.error, nextAttemptAt: f.retryAt },
      });
      await disableFailingEndpoint(d, row.endpoint_id, new Date());
    },
  };
}
