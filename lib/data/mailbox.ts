import "server-only";
import { getDb } from "@/lib/db/client";
import { env, isProduction } from "@/lib/env";
import { openMailBody } from "@/lib/mail/sealed";

export const mailboxEnabled = () => !isProduction() && !env().RESEND_API_KEY;

/**
 * The local mailbox of one signed-in user: the mail addressed to them, newest first. Mail to
 * anyone else (an invitation link above all) is never shown, whoever asks.
 */
export async function listMailbox(toAddress: string, selectedId?: string) {
  const db = await getDb();
  const mails = await db.outboxMail.findMany({
    where: { toAddress, status: { in: ["SENT", "PENDING", "DEAD"] } },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: { id: true, toAddress: true, subject: true, status: true, createdAt: true, sentAt: true },
  });
  const selected =
    selectedId && /^[0-9a-f-]{36}$/.test(selectedId)
      ? await db.outboxMail.findFirst({
          where: { id: selectedId, toAddress },
          select: { id: true, subject: true, toAddress: true, html: true, status: true },
        })
      : null;
  // The worker keeps a delivered body sealed (lib/mail/sealed.ts): opened here, for its recipient only.
  return { mails, selected: selected ? { ...selected, html: openMailBody(selected.html) } : null };
}
