import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Db, Tx } from "@/lib/db/client";
import { inTransaction } from "@/lib/core/transaction";
import type { Actor } from "@/lib/core/actor";
import { appUrl } from "@/lib/core/app-url";
import { errorMessage, logger } from "@/lib/core/log";
import { hashSecret } from "@/lib/keys/secret";
import { hashPassword } from "@/lib/auth/password";
import { GRACE_OPTIONS, type GraceOption } from "@/lib/keys/rotation";
import { rotateInTx } from "@/lib/keys/services/rotate-key";
import { changeKeyStatus } from "@/lib/keys/services/change-key-status";
import { revokePreviousKey } from "@/lib/keys/services/revoke-previous";
import { recordChange } from "@/lib/keys/services/record-change";
import { merchantOwners } from "@/lib/mail/outbox";
import { EXPOSURE_SUBJECT, type ExposureMailProps } from "@/lib/mail/types";
import type { ExposureAction } from "@/lib/generated/prisma/client";

/** One reported token, in GitHub's format (the portal's form and the API send the same). */
export interface LeakReport {
  token: string;
  type?: string;
  url?: string;
  source?: string;
}
export interface LeakAnswer {
  token_hash: string;
  token_type: string;
  label: "true_positive" | "false_positive";
}

/** Whoever reported: named in the audit as the actor ("GitHub secret scanning"). */
export interface Reporter {
  name: string;
  /** What a report without its own `source` is recorded as. */
  source: string;
  /** The member who reported it in the portal (named in the audit row and the mail). */
  by?: string;
}
export const GITHUB_REPORTER: Reporter = { name: "GitHub secret scanning", source: "github" };
/** A merchant's own scanner (a CI job running gitleaks or trufflehog) through the management API. */
export const API_REPORTER: Reporter = { name: "Leak report (management API)", source: "api" };
/** A member who pasted a secret into "Report a leaked key". */
export const portalReporter = (email: string): Reporter => ({ name: "Leak report (portal)", source: "portal", by: email });

export const DEFAULT_POLICY = { action: "ROTATE" as ExposureAction, graceHours: 24 };
const graceOf = (hours: number): GraceOption => GRACE_OPTIONS.find((g) => g.ms === hours * 3_600_000)?.value ?? "24h";

/**
 * The actor that applies a merchant's exposure policy: a user row of its own that can never sign
 * in (disabled, with an unknowable password), so the services, the audit and the mail name it.
 */
async function reporterActor(tx: Tx, merchantId: string, reporter: Reporter): Promise<Actor> {
  const email = `${reporter.source}@leak-reports.keyport.invalid`;
  const user =
    (await tx.user.findUnique({ where: { email }, select: { id: true } })) ??
    (await tx.user.create({
      data: { email, name: reporter.name, passwordHash: await hashPassword(randomBytes(32).toString("base64url")), disabledAt: new Date() },
      select: { id: true },
    }));
  return { userId: user.id, email: reporter.name, role: "OWNER", merchantId, door: "system" };
}

/**
 * Handles leak reports: each token is looked up by its hash (one query for the whole batch, so no
 * timing tells a live key from an unknown one) and answered `true_positive` when it is a live
 * Keyport credential, `false_positive` otherwise. A live one runs its merchant's exposure policy
 * ("Alert only", "Rotate with a grace window of N hours", "Revoke now") through the same services
 * as the portal, then sets the key's "Exposed" badge, writes the audit row (with the report's URL
 * and source), sends a `key.exposed` webhook and mails the owners, all in one transaction. The
 * same token in the same report again (a replay) changes nothing. Tokens are never stored.
 */
export async function handleLeakReports(
  db: Db | Tx,
  reports: readonly LeakReport[],
  reporter: Reporter,
  now = new Date(),
  /** A merchant's own report: another merchant's key is answered like an unknown one, and left alone. */
  onlyMerchantId?: string,
): Promise<LeakAnswer[]> {
  const hashes = reports.map((r) => hashSecret(r.token));
  const found = await db.credential.findMany({
    where: { secretHash: { in: [...new Set(hashes)] } },
    select: {
      secretHash: true,
      slot: true,
      expiresAt: true,
      apiKey: { select: { id: true, merchantId: true, status: true, expiresAt: true, environment: true, version: true } },
    },
  });
  const byHash = new Map(found.map((c) => [c.secretHash, c]));
  const answers: LeakAnswer[] = [];
  for (const [i, r] of reports.entries()) {
    const c = byHash.get(hashes[i]);
    const live =
      !!c &&
      (!onlyMerchantId || c.apiKey.merchantId === onlyMerchantId) &&
      c.apiKey.status !== "REVOKED" &&
      c.apiKey.expiresAt > now &&
      (c.slot === "CURRENT" || (c.expiresAt !== null && c.expiresAt > now));
    answers.push({ token_hash: hashes[i], token_type: r.type ?? "keyport_api_key", label: live ? "true_positive" : "false_positive" });
    if (!live || !c) continue;
    // Inside a caller's transaction (an API request with an Idempotency-Key) each key's policy
    // runs under a savepoint: one that fails is undone alone and the transaction goes on.
    const nested = !("$connect" in db);
    try {
      if (nested) await db.$executeRawUnsafe("SAVEPOINT leak_report");
      await applyPolicy(db, { hash: hashes[i], slot: c.slot, key: c.apiKey }, r, reporter, now);
      if (nested) await db.$executeRawUnsafe("RELEASE SAVEPOINT leak_report");
    } catch (err) {
      if (nested) await db.$executeRawUnsafe("ROLLBACK TO SAVEPOINT leak_report");
      // The answer stands (the key is live); GitHub may send the report again, and then it runs again.
      logger().error({ err: errorMessage(err), keyId: c.apiKey.id }, "applying an exposure policy failed");
    }
  }
  return answers;
}

async function applyPolicy(
  db: Db | Tx,
  leak: {
    hash: string;
    slot: "CURRENT" | "PREVIOUS";
    key: { id: string; merchantId: string; environment: "sandbox" | "production"; version: number };
  },
  r: LeakReport,
  reporter: Reporter,
  now: Date,
) {
  const url = (r.url ?? "").slice(0, 2048);
  const source = (r.source ?? reporter.source).slice(0, 64);
  const reportKey = createHash("sha256").update(`${source}\n${url}`).digest("hex");
  const { key } = leak;
  await inTransaction(db, async (tx) => {
    const policy =
      (await tx.exposurePolicy.findUnique({
        where: { merchantId_environment: { merchantId: key.merchantId, environment: key.environment } },
      })) ?? DEFAULT_POLICY;
    const inserted = await tx.exposureReport.createMany({
      data: [{ tokenHash: leak.hash, reportKey, apiKeyId: key.id, merchantId: key.merchantId, source, url, action: policy.action }],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return; // a replay: acted on already
    const actor = await reporterActor(tx, key.merchantId, reporter);
    if (policy.action === "ROTATE") {
      if (leak.slot === "PREVIOUS") await revokePreviousKey(tx, actor, key.id, key.version, now);
      else await rotateInTx(tx, actor, key.id, { grace: graceOf(policy.graceHours), replaceOpenWindow: true, mail: false }, now);
    } else if (policy.action === "REVOKE") {
      const status = (await tx.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { status: true } })).status;
      if (status === "ENABLED") await changeKeyStatus(tx, actor, key.id, "disable", {}, now);
      await changeKeyStatus(tx, actor, key.id, "revoke", {}, now);
    }
    // The badge, after the action (which clears it for any later rotation or revoke).
    const after = await tx.apiKey.update({
      where: { id: key.id },
      data: { exposedAt: now, exposedUrl: url || null },
      select: { name: true, status: true, environment: true, credentials: { where: { slot: "CURRENT" }, select: { accessKey: true } } },
    });
    await recordChange(tx, actor, {
      keyId: key.id,
      action: "key.exposed",
      after: {
        url,
        source,
        ...(reporter.by ? { reportedBy: reporter.by } : {}),
        policy: policy.action,
        graceHours: policy.action === "ROTATE" ? policy.graceHours : null,
      },
      invalidatesVerification: false, // the policy's own change, if any, already did
      at: now,
    });
    const { name: merchantName, owners } = await merchantOwners(tx, key.merchantId);
    const props: ExposureMailProps = {
      merchantName,
      keyName: after.name,
      environment: after.environment,
      accessKey: after.credentials[0]?.accessKey ?? "",
      url,
      source,
      reporter: reporter.by ? `${reporter.by} (${reporter.name})` : reporter.name,
      action: policy.action,
      graceHours: policy.graceHours,
      at: now.toISOString(),
      detailsUrl: `${appUrl()}/merchants/${key.merchantId}/developers/keys/${key.id}`,
    };
    await tx.outboxMail.createMany({
      data: owners.map((to) => ({
        idempotencyKey: `${leak.hash.slice(0, 32)}:${reportKey.slice(0, 32)}:key-exposed:${to}`.slice(0, 200),
        toAddress: to,
        subject: `[Keyport] ${EXPOSURE_SUBJECT(props)}`.slice(0, 200),
        template: "key-exposed",
        props: { ...props },
      })),
      skipDuplicates: true,
    });
  });
}
