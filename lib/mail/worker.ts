import "server-only";
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { InvitationMailProps, KeyMailProps } from "./types";
import { openMailProps, sealMailBody } from "./sealed";
import { renderMail } from "./render";
import { exponentialBackoff, runOutbox, type ClaimedRow, type OutboxQueue } from "@/lib/jobs/outbox";

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  idempotencyKey: string;
}

/**
 * Sends one mail. Throws on failure; must be idempotent for the same idempotencyKey. A transport
 * that `keepsCopy` is the mailbox itself: the delivered body stays in the row, sealed.
 */
export type Transport = { name: string; keepsCopy?: boolean; send(mail: OutgoingMail): Promise<void> };

/** No account anywhere: the rendered mail is kept (sealed) in the outbox row and shown on /dev/mailbox. */
export const localMailbox: Transport = { name: "local", keepsCopy: true, send: async () => {} };

export function resendTransport(apiKey: string, from = env().MAIL_FROM ?? "Keyport <keyport@example.com>"): Transport {
  return {
    name: "resend",
    async send(mail) {
      const { Resend } = await import("resend");
      const { error } = await new Resend(apiKey).emails.send(
        { from, to: mail.to, subject: mail.subject, html: mail.html, text: mail.text },
        { idempotencyKey: mail.idempotencyKey },
      );
      if (error) throw new Error(`Resend: ${error.message}`);
    },
  };
}

export const transportFromEnv = () => {
  const apiKey = env().RESEND_API_KEY;
  return apiKey ? resendTransport(apiKey) : localMailbox;
};

export const MAX_ATTEMPTS = 8;
const LEASE_MS = 5 * 60_000;
/** 10 s, 20 s, 40 s … capped at one hour. */
export const backoffMs = exponentialBackoff(10_000, 3600_000);

interface MailRow extends ClaimedRow {
  to_address: string;
  subject: string;
  template: string;
  props: unknown;
}

/** The mail outbox as a queue of the job runner (lib/jobs/outbox.ts). */
export function mailQueue(transport: Transport): OutboxQueue<MailRow, { html: string }> {
  return {
    name: "mail",
    table: "outbox_mails",
    columns: ["to_address", "subject", "template", "props"],
    leaseMs: LEASE_MS,
    maxAttempts: MAX_ATTEMPTS,
    backoffMs,
    async deliver(m) {
      const { html, text } = await renderMail(m.template, openMailProps<KeyMailProps | InvitationMailProps>(m.props));
      await transport.send({ to: m.to_address, subject: m.subject, html, text, idempotencyKey: m.idempotency_key });
      return { html };
    },
    // Delivered: nothing of it stays readable here (an invitation's live link above all); the
    // local mailbox keeps its copy sealed, opened only for its recipient (openMailBody).
    async delivered(db, m, { html }) {
      await db.outboxMail.update({
        where: { id: m.id },
        data: { status: "SENT", sentAt: new Date(), props: {}, html: transport.keepsCopy ? sealMailBody(html) : null, lastError: null },
      });
    },
    async failed(db, m, f) {
      await db.outboxMail.update({
        where: { id: m.id },
        data: { status: f.dead ? "DEAD" : "PENDING", lastError: f.error, nextAttemptAt: f.retryAt },
      });
    },
  };
}

/** Delivers due mail: one pass of the job runner over the mail outbox. */
export function deliverDueMail(db: Db, transport: Transport, now = new Date(), batch = 20): Promise<{ sent: number; failed: number }> {
  return runOutbox(db, mailQueue(transport), now, batch);
}
