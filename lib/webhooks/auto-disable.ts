import "server-only";
import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import { appUrl } from "@/lib/core/app-url";
import { merchantOwners } from "@/lib/mail/outbox";
import { WEBHOOK_DISABLED_SUBJECT, type WebhookDisabledMailProps } from "@/lib/mail/types";
import { failedTooLong } from "./schedule";

export const AUTO_DISABLED_REASON = "Disabled by Keyport after 3 days of failed deliveries.";

/**
 * After a failed attempt: starts the endpoint's failure clock if it was not running, and once it
 * has run for 3 days switches the endpoint off, drops its pending deliveries, writes the audit
 * row and mails the merchant's owners, all in one transaction (once: the row lock decides).
 */
export async function disableFailingEndpoint(db: Db, endpointId: string, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const [ep] = await tx.$queryRaw<
      { merchant_id: string; url: string; environment: "sandbox" | "production"; enabled: boolean; failing_since: Date }[]
    >`UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, ${now})
      WHERE id = ${endpointId}::uuid
      RETURNING merchant_id, url, environment::text AS environment, enabled, failing_since`;
    if (!ep?.enabled || !failedTooLong(ep.failing_since, now)) return false;
    await tx.webhookEndpoint.update({
      where: { id: endpointId },
      data: { enabled: false, disabledReason: AUTO_DISABLED_REASON, version: { increment: 1 }, updatedAt: now },
    });
    await tx.webhookDelivery.updateMany({
      where: { endpointId, status: "PENDING" },
      data: { status: "DEAD", lastError: "The endpoint was disabled." },
    });
    const last = await tx.webhookAttempt.findFirst({
      where: { endpointId },
      orderBy: { createdAt: "desc" },
      select: { statusCode: true, error: true },
    });
    await recordAudit(
      tx,
      { userId: null, email: "system" },
      {
        merchantId: ep.merchant_id,
        action: "webhook.endpoint_auto_disabled",
        after: { endpointId, url: ep.url, failingSince: ep.failing_since.toISOString() },
      },
    );
    const { name: merchantName, owners } = await merchantOwners(tx, ep.merchant_id);
    const props: WebhookDisabledMailProps = {
      merchantName,
      url: ep.url,
      environment: ep.environment,
      failingSince: ep.failing_since.toISOString(),
      at: now.toISOString(),
      lastError: last ? (last.statusCode ? `HTTP ${last.statusCode}` : last.error) : null,
      detailsUrl: `${appUrl()}/merchants/${ep.merchant_id}/developers/webhooks/${endpointId}`,
    };
    await tx.outboxMail.createMany({
      data: owners.map((to) => ({
        idempotencyKey: `${endpointId}:${ep.failing_since.getTime()}:webhook-endpoint-disabled:${to}`.slice(0, 200),
        toAddress: to,
        subject: `[Keyport] ${WEBHOOK_DISABLED_SUBJECT(props)}`.slice(0, 200),
        template: "webhook-endpoint-disabled",
        props: { ...props },
      })),
      skipDuplicates: true,
    });
    return true;
  });
}
