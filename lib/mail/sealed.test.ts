// Issue 11, item 16: an invitation's live link is never readable in outbox_mails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createActor } from "@/prisma/factories";
import { inviteMember } from "@/lib/members/invitations";
import { deliverDueMail, localMailbox, type OutgoingMail } from "./worker";
import { openMailBody } from "./sealed";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

const LINK = /\/invite\/([A-Za-z0-9_-]{43})/;
/** The row as the database holds it, every column as text. */
const rawRow = async (id: string) =>
  (await db.prisma.$queryRaw<{ row: string }[]>`SELECT x::text AS row FROM outbox_mails x WHERE id = ${id}::uuid`)[0].row;

async function invite() {
  const owner = await createActor(db.prisma, "OWNER");
  const email = `sealed-${Math.random().toString(36).slice(2)}@example.test`;
  await inviteMember(db.prisma, owner, { email, role: "OWNER" });
  return db.prisma.outboxMail.findFirstOrThrow({ where: { toAddress: email, template: "member-invited" } });
}

describe("invitation mail in the outbox", () => {
  it("holds no readable link while pending, and none once delivered through a provider", async () => {
    const mail = await invite();
    expect(await rawRow(mail.id)).not.toMatch(LINK);
    const sent: OutgoingMail[] = [];
    const provider = { name: "provider", send: async (m: OutgoingMail) => void sent.push(m) };
    await deliverDueMail(db.prisma, provider, new Date(Date.now() + 1000), 500);
    const delivered = sent.find((m) => m.idempotencyKey === mail.idempotencyKey)!;
    const token = LINK.exec(delivered.html)?.[1];
    expect(token).toBeTruthy();
    expect(delivered.text).toContain(token);
    const row = await db.prisma.outboxMail.findUniqueOrThrow({ where: { id: mail.id } });
    expect([row.status, row.props, row.html]).toEqual(["SENT", {}, null]);
    expect(await rawRow(mail.id)).not.toContain(token!);
  });

  it("the local mailbox keeps the delivered body sealed, for its page to open", async () => {
    const mail = await invite();
    await deliverDueMail(db.prisma, localMailbox, new Date(Date.now() + 1000), 500);
    const row = await db.prisma.outboxMail.findUniqueOrThrow({ where: { id: mail.id } });
    expect(row.status).toBe("SENT");
    expect(await rawRow(mail.id)).not.toMatch(LINK);
    expect(row.html).not.toContain("Accept invitation");
    expect(openMailBody(row.html)).toMatch(LINK);
    expect(openMailBody("<html>plaintext from before</html>")).toBeNull();
  });
});
