import "server-only";
import type { Tx } from "@/lib/db/client";
import { sealMailProps } from "./sealed";
import {
  INVITATION_SUBJECT,
  SECURITY_SUBJECT,
  SUBJECTS,
  type InvitationMailProps,
  type KeyMailProps,
  type KeyMailTemplate,
  type SecurityMailProps,
} from "./types";

/**
 * Everyone who may see the merchant's keys (every role may): its members, and members of its
 * master account unless a membership on the sub-account says otherwise. Disabled users get nothing.
 */
export async function keyWatchers(tx: Tx, merchantId: string): Promise<string[]> {
  const merchant = await tx.merchant.findUnique({ where: { id: merchantId }, select: { parentId: true } });
  const ids = [merchantId, ...(merchant?.parentId ? [merchant.parentId] : [])];
  const members = await tx.membership.findMany({
    where: { merchantId: { in: ids }, user: { disabledAt: null } },
    select: { user: { select: { email: true } } },
  });
  return [...new Set(members.map((m) => m.user.email))].sort();
}

/**
 * The merchant's name and the addresses of its owners: its own owners, and the master account's
 * unless a membership on the sub-account itself says otherwise. Disabled users get nothing.
 */
export async function merchantOwners(tx: Tx, merchantId: string): Promise<{ name: string; owners: string[] }> {
  const merchant = await tx.merchant.findUniqueOrThrow({ where: { id: merchantId }, select: { name: true, parentId: true } });
  const memberships = await tx.membership.findMany({
    where: { merchantId: { in: [merchantId, ...(merchant.parentId ? [merchant.parentId] : [])] }, user: { disabledAt: null } },
    select: { merchantId: true, role: true, user: { select: { id: true, email: true } } },
  });
  // A membership on the sub-account itself overrides the master account's.
  const roleOf = new Map<string, { email: string; role: string }>();
  for (const m of memberships) {
    if (!roleOf.has(m.user.id) || m.merchantId === merchantId) roleOf.set(m.user.id, { email: m.user.email, role: m.role });
  }
  const owners = [...roleOf.values()].filter((m) => m.role === "OWNER").map((m) => m.email);
  return { name: merchant.name, owners: owners.sort() };
}

/**
 * Writes one outbox row per recipient in the caller's transaction: the mail exists exactly when
 * the change commits. `eventKey` makes each (event, recipient) unique, so a retried change or
 * a crashed worker never mails twice.
 */
export async function enqueueKeyMail(tx: Tx, merchantId: string, template: KeyMailTemplate, eventKey: string, props: KeyMailProps) {
  const to = await keyWatchers(tx, merchantId);
  if (!to.length) return 0;
  const subject = `[Keyport] ${SUBJECTS[template](props)}`.slice(0, 200);
  const res = await tx.outboxMail.createMany({
    data: to.map((address) => ({
      idempotencyKey: `${eventKey}:${template}:${address}`.slice(0, 200),
      toAddress: address,
      subject,
      template,
      props: { ...props },
    })),
    skipDuplicates: true,
  });
  return res.count;
}

/**
 * One mail to one address (an invitation), in the caller's transaction. Its props hold the live
 * link, so they are stored sealed: only the link's hash is ever readable in the database.
 */
export async function enqueueMail(tx: Tx, mail: { to: string; template: "member-invited"; eventKey: string; props: InvitationMailProps }) {
  await tx.outboxMail.createMany({
    data: [
      {
        idempotencyKey: `${mail.eventKey}:${mail.template}:${mail.to}`.slice(0, 200),
        toAddress: mail.to,
        subject: `[Keyport] ${INVITATION_SUBJECT(mail.props)}`.slice(0, 200),
        template: mail.template,
        props: sealMailProps(mail.props),
      },
    ],
    skipDuplicates: true,
  });
}

/** A "security-changed" mail (a passkey added or removed, the passkey policy), in the change's transaction. */
export async function enqueueSecurityMail(tx: Tx, to: readonly string[], props: SecurityMailProps, eventKey: string) {
  if (!to.length) return;
  await tx.outboxMail.createMany({
    data: to.map((address) => ({
      idempotencyKey: `${eventKey}:security-changed:${address}`.slice(0, 200),
      toAddress: address,
      subject: `[Keyport] ${SECURITY_SUBJECT[props.event](props)}`.slice(0, 200),
      template: "security-changed",
      props: { ...props },
    })),
    skipDuplicates: true,
  });
}
