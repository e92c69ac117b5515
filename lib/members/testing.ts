import type { Db } from "@/lib/db/client";
import { openMailProps } from "@/lib/mail/sealed";

/** The token of the newest invitation mailed to `email`, read from its outbox row. */
export async function invitationTokenOf(db: Db, email: string) {
  const mail = await db.outboxMail.findFirstOrThrow({
    where: { toAddress: email, template: "member-invited" },
    orderBy: { createdAt: "desc" },
  });
  return String(openMailProps<{ acceptUrl: string }>(mail.props).acceptUrl).split("/invite/")[1];
}

export const membershipOf = (db: Db, userId: string, merchantId: string) =>
  db.membership.findUniqueOrThrow({ where: { userId_merchantId: { userId, merchantId } } });
