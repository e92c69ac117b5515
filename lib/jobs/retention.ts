import "server-only";
import type { Db } from "@/lib/db/client";
import { KNOWN_GOOD_DAYS } from "@/lib/verify/guessing";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * How long rows of the tables that only grow are kept.
 * - key_changes: the change feed reads rows by their writer's transaction id from each poller's
 *   last snapshot horizon (lib/verify/change-feed.ts). A row is deleted only once its transaction
 *   is below the database's oldest running one (no poll can still need it as "not yet visible")
 *   and it is a day old, far past any poller's interval; a process that was away longer replays.
 * - previous_traffic: per-minute counts behind "traffic still on the previous key" (last hour).
 * - revoked_sessions: until the session could have expired anyway.
 * - outbox_mails: delivered rows (the local mailbox shows them) for 30 days; failed ones stay.
 * - webhook_events: 30 days once none of their deliveries is still pending; their deliveries and
 *   attempts (the endpoint page's list) go with them.
 * - rate_limits: counters whose window ended an hour ago (the limiter reads an ended one as empty).
 * - known_client_addresses: once past the 30 days that make an address known (lib/verify/guessing.ts).
 * - guessing_reports: a week after the last wrong password.
 * - webauthn_challenges: an hour after they expired (they live 2 minutes; counted with "guessing").
 */
export const RETENTION = {
  keyChangesMs: DAY,
  previousTrafficMs: 2 * DAY,
  deliveredMailMs: 30 * DAY,
  webhookEventsMs: 30 * DAY,
  rateLimitsMs: HOUR,
  knownAddressesMs: KNOWN_GOOD_DAYS * DAY,
  guessingReportsMs: 7 * DAY,
} as const;

/** Deleted per statement at most, so no delete holds its locks for long. */
const BATCH = 5000;

export interface RetentionResult {
  keyChanges: number;
  previousTraffic: number;
  revokedSessions: number;
  deliveredMail: number;
  webhookEvents: number;
  guessing: number;
}

/** One pass; safe on several instances at once (each delete skips rows another is deleting). */
export async function runRetention(db: Db, now = new Date()): Promise<RetentionResult> {
  const keyChanges = await db.$executeRaw`
    DELETE FROM key_changes WHERE id IN (
      SELECT id FROM key_changes
      WHERE created_at < ${new Date(now.getTime() - RETENTION.keyChangesMs)}
        AND xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
      LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`;
  const previousTraffic = await db.$executeRaw`
    DELETE FROM previous_traffic WHERE (credential_id, minute) IN (
      SELECT credential_id, minute FROM previous_traffic WHERE minute < ${new Date(now.getTime() - RETENTION.previousTrafficMs)}
      LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`;
  const revokedSessions = await db.$executeRaw`
    DELETE FROM revoked_sessions WHERE id IN (
      SELECT id FROM revoked_sessions WHERE expires_at < ${now} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`;
  const deliveredMail = await db.$executeRaw`
    DELETE FROM outbox_mails WHERE id IN (
      SELECT id FROM outbox_mails WHERE status = 'SENT' AND sent_at < ${new Date(now.getTime() - RETENTION.deliveredMailMs)}
      LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`;
  const webhookEvents = await db.$executeRaw`
    DELETE FROM webhook_events WHERE id IN (
      SELECT e.id FROM webhook_events e
      WHERE e.created_at < ${new Date(now.getTime() - RETENTION.webhookEventsMs)}
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'PENDING')
      LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`;
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const guessing =
    (await db.$executeRaw`
      DELETE FROM rate_limits WHERE key IN (
        SELECT key FROM rate_limits WHERE expire < ${ago(RETENTION.rateLimitsMs).getTime()} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`) +
    (await db.$executeRaw`
      DELETE FROM known_client_addresses WHERE (credential_id, address) IN (
        SELECT credential_id, address FROM known_client_addresses WHERE last_success_at < ${ago(RETENTION.knownAddressesMs)}
        LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`) +
    (await db.$executeRaw`
      DELETE FROM guessing_reports WHERE credential_id IN (
        SELECT credential_id FROM guessing_reports WHERE last_failure_at < ${ago(RETENTION.guessingReportsMs)}
        LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`) +
    // WebAuthn challenges live 2 minutes; an hour later nothing can answer them.
    (await db.$executeRaw`
      DELETE FROM webauthn_challenges WHERE id IN (
        SELECT id FROM webauthn_challenges WHERE expires_at < ${ago(HOUR)} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`);
  return { keyChanges, previousTraffic, revokedSessions, deliveredMail, webhookEvents, guessing };
}
