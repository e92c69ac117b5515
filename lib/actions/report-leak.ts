"use server";
import { hashSecret } from "@/lib/keys/secret";
import { handleLeakReports, portalReporter } from "@/lib/leaks/report";
import { portalLeakReportSchema } from "@/lib/leaks/schema";
import { defineMerchantAction } from "./safe-action";

/**
 * "Report a leaked key": a member pastes a secret key of this merchant found somewhere it should
 * not be, and the same flow as a report from GitHub's secret scanning runs (the environment's
 * exposure policy, the Exposed mark, the audit row, the owners' mail, the `key.exposed` webhook).
 * The answer names the key; the secret itself is only ever hashed.
 */
export const reportLeakAction = defineMerchantAction({
  permission: "keys.write",
  schema: portalLeakReportSchema,
  run: async ({ actor, db, input }) => {
    const tokenHash = hashSecret(input.secret);
    const reports = () => db.exposureReport.count({ where: { tokenHash, merchantId: actor.merchantId } });
    const before = await reports();
    const [answer] = await handleLeakReports(
      db,
      [{ token: input.secret, url: input.url || undefined, source: "portal" }],
      portalReporter(actor.email),
      new Date(),
      actor.merchantId,
    );
    if (answer.label === "false_positive") return { found: false as const };
    // The report row names the key (its credential may be gone: "Revoke now" revokes it).
    const report = await db.exposureReport.findFirst({
      where: { tokenHash, merchantId: actor.merchantId },
      orderBy: { createdAt: "desc" },
      select: { action: true, apiKey: { select: { id: true, name: true } } },
    });
    return {
      found: true as const,
      key: report?.apiKey ?? null,
      action: report?.action ?? "ALERT",
      again: (await reports()) === before,
    };
  },
  revalidate: "developers",
});
