import "server-only";
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { InvitationMailProps, KeyMailProps } from "./types";
import { openMailProps, sealMailBody } from "./sealed";
import { renderMail } from "./render";

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
export const backoffMs = (attempts: number) => Math.min(3600_000, 10_000 * 2 ** Math.max(0, attempts - 1));

interface Claimed { id: string; to_address: string; subject: string; template: string; props: unknown; idempotency_key: string; attempts: number }

/**
 * Delivers due mail. Rows are claimed with a short lease (SKIP LOCKED, so several instances share
 * the work) and sent outside any transaction; a crash mid-send leaves the row to be retried when
 * the lease ends, under the same idempotency key.
 */
export async function deliverDueMail(db: Db, transport: Transport, now = new Date(), batch = 20): Promise<{ sent: number; failed: number }> {
  const claimed = await db.$queryRaw<Claimed[]>`
    UPDATE outbox_mails SET next_attempt_at = ${new Date(now.getTime() + LEASE_MS)}, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM outbox_mails WHERE status = 'PENDING' AND next_attempt_at <= ${now}
      ORDER BY created_at LIMIT ${batch} FOR UPDATE SKIP LOCKED)
    RETURNING id, to_address, subject, template, props, idempotency_key, attempts`;
  let sent = 0;
  let failed = 0;
  for (const m of claimed) {
    try {
      const { html, text } = await renderMail(m.template, openMailProps<KeyMailProps | InvitationMailProps>(m.props));
      await transport.send({ to: m.to_address, subject: m.subject, html, text, idempotencyKey: m.idempotency_key });
      // Delivered: nothing of it stays readable here (an invitation's live link above all); the
      // local mailbox keeps its copy sealed, opened only for its recipient (openMailBody).
      await db.outboxMail.update({ where: { id: m.id }, data: { status: "SENT", sentAt: new Date(), props: {}, html: transport.keepsCopy ? sealMailBody(html) : null, lastError: null } });
      sent++;
    } catch (err) {
      failed++;
      const dead = m.attempts >= MAX_ATTEMPTS;
      await db.outboxMail.update({
        where: { id: m.id },
        data: { status: dead ? "DEAD" : "PENDING", lastError: String(err instanceof Error ? err.message : err).slice(0, 500), nextAttemptAt: new Date(Date.now() + backoffMs(m.attempts)) },
      });
    }
  }
  return { sent, failed };
}
