import type { Db } from "@/lib/db/client";
import { appUrl } from "@/lib/core/app-url";
import { merchantOwners } from "@/lib/mail/outbox";
import { GUESSING_SUBJECT, type GuessingMailProps } from "@/lib/mail/types";
import { type SqlTarget, sqlRows } from "./sql";
import type { KeyState } from "./types";

// What the database remembers about HTTP Basic guessing, so that every verifier process and
// instance agrees and a restart forgets nothing (lib/verify/basic-auth.ts decides with it).

/** An address that used a credential's right password keeps working this long. */
export const KNOWN_GOOD_DAYS = 30;
/** A known address's last success is written again at most this often (a process-local copy skips the rest). */
export const KNOWN_GOOD_REFRESH_MS = 3600_000;
/** Guessing is reported once wrong passwords reach `failures` from at least `addresses` addresses within an hour. */
export const GUESSING_REPORT = { failures: 20, addresses: 3, windowMs: 3600_000 };

/** Whether `address` verified `credentialId` with its right password in the last 30 days. */
export async function isKnownAddress(db: SqlTarget, credentialId: string, address: string): Promise<boolean> {
  const rows = await sqlRows<{ ok: number }>(
    db,
    `SELECT 1 AS ok FROM known_client_addresses
     WHERE credential_id = $1::uuid AND address = $2 AND last_success_at > now() - make_interval(days => $3::int)`,
    [credentialId, address, KNOWN_GOOD_DAYS],
  );
  return rows.length > 0;
}

/** Records a success of `address` on `credentialId` (the credential may have been deleted meanwhile). */
export async function rememberAddress(db: SqlTarget, credentialId: string, address: string): Promise<void> {
  await sqlRows(
    db,
    `INSERT INTO known_client_addresses (credential_id, address, last_success_at)
     SELECT $1::uuid, $2, now() WHERE EXISTS (SELECT 1 FROM credentials WHERE id = $1::uuid)
     ON CONFLICT (credential_id, address) DO UPDATE SET last_success_at = now()`,
    [credentialId, address],
  );
}

export interface GuessingCount {
  failures: number;
  addresses: number;
  since: Date;
  /** The thresholds are met and nobody has been told within the hour. */
  reportDue: boolean;
}

/**
 * Counts one evaluated wrong password for a known credential in its current hour; `newAddress`
 * when this address had not guessed it within its own limit window. One statement, atomic
 * across processes.
 */
export async function countWrongPassword(db: SqlTarget, state: KeyState, newAddress: boolean): Promise<GuessingCount> {
  const [row] = await sqlRows<{ failures: number; addresses: number; since: Date; reported_at: Date | null }>(
    db,
    `INSERT INTO guessing_reports AS r (credential_id, api_key_id, window_started_at, failures, addresses, last_failure_at)
     SELECT $1::uuid, $2::uuid, now(), 1, 1, now() WHERE EXISTS (SELECT 1 FROM credentials WHERE id = $1::uuid)
     ON CONFLICT (credential_id) DO UPDATE SET
       window_started_at = CASE WHEN r.window_started_at <= now() - $4 * interval '1 millisecond' THEN now() ELSE r.window_started_at END,
       failures = CASE WHEN r.window_started_at <= now() - $4 * interval '1 millisecond' THEN 1 ELSE r.failures + 1 END,
       addresses = CASE WHEN r.window_started_at <= now() - $4 * interval '1 millisecond' THEN 1 ELSE r.addresses + $3::int END,
       last_failure_at = now()
     RETURNING failures, addresses, window_started_at AS since, reported_at`,
    [state.credentialId, state.keyId, newAddress ? 1 : 0, GUESSING_REPORT.windowMs],
  );
  if (!row) return { failures: 0, addresses: 0, since: new Date(), reportDue: false };
  const failures = Number(row.failures);
  const addresses = Number(row.addresses);
  const reportDue =
    failures >= GUESSING_REPORT.failures &&
    addresses >= GUESSING_REPORT.addresses &&
    (!row.reported_at || Date.now() - new Date(row.reported_at).getTime() >= GUESSING_REPORT.windowMs);
  return { failures, addresses, since: new Date(row.since), reportDue };
}

/**
 * Mails the merchant's owners about guessing on a credential, at most once an hour: the claim on
 * `reported_at` and the outbox rows are one transaction, so of several processes that saw the
 * threshold at once exactly one writes the mail.
 */
export async function reportGuessing(prisma: Db, state: KeyState): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const [claimed] = await tx.$queryRaw<{ failures: number; addresses: number; since: Date; at: Date }[]>`
      UPDATE guessing_reports SET reported_at = now()
      WHERE credential_id = ${state.credentialId}::uuid
        AND (reported_at IS NULL OR reported_at <= now() - ${GUESSING_REPORT.windowMs} * interval '1 millisecond')
        AND failures >= ${GUESSING_REPORT.failures} AND addresses >= ${GUESSING_REPORT.addresses}
      RETURNING failures, addresses, window_started_at AS since, reported_at AS at`;
    if (!claimed) return false;
    const key = await tx.apiKey.findUnique({
      where: { id: state.keyId },
      select: {
        name: true,
        merchantId: true,
        environment: true,
        credentials: { where: { id: state.credentialId }, select: { accessKey: true } },
      },
    });
    if (!key?.credentials[0]) return false;
    const { name: merchantName, owners } = await merchantOwners(tx, key.merchantId);
    const props: GuessingMailProps = {
      merchantName,
      keyName: key.name,
      environment: key.environment,
      accessKey: key.credentials[0].accessKey,
      failures: Number(claimed.failures),
      addresses: Number(claimed.addresses),
      since: claimed.since.toISOString(),
      at: claimed.at.toISOString(),
      detailsUrl: `${appUrl()}/merchants/${key.merchantId}/developers/keys/${state.keyId}`,
    };
    await tx.outboxMail.createMany({
      data: owners.map((to) => ({
        idempotencyKey: `${state.credentialId}:${claimed.at.getTime()}:key-guessed:${to}`.slice(0, 200),
        toAddress: to,
        subject: `[Keyport] ${GUESSING_SUBJECT(props)}`.slice(0, 200),
        template: "key-guessed",
        props: { ...props },
      })),
      skipDuplicates: true,
    });
    return true;
  });
}
