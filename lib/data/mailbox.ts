import "server-only";
import { getDb } from "@/lib/db/client";
import { isProduction } from "@/lib/env";

export const mailboxEnabled = () => !isProduction() && !process.env.RESEND_API_KEY;

/** The local mailbox: mails the worker delivered without a provider, newest first. */
export async function listMailbox(selectedId?: string) {
  const db = await getDb();
  const mails = await db.outboxMail.findMany({
    where: { status: { in: ["SENT", "PENDING", "DEAD"] } },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: { id: true, toAddress: true, subject: true, status: true, createdAt: true, sentAt: true },
  });
  const selected = selectedId && /^[0-9a-f-]{36}$/.test(selectedId)
    ? await db.outboxMail.findUnique({ where: { id: selectedId }, select: { id: true, subject: true, toAddress: true, html: true, status: true } })
    : null;
  return { mails, selected };
}
