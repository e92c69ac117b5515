"use server";
import { endSudo } from "@/lib/auth/sudo";
import { merchantAction, notPlainData, type ActionResult } from "./safe-action";

/** "End now": the session's sudo window on this merchant closes; the next step-up asks for a code. */
export async function endSudoAction(merchantId: unknown): Promise<ActionResult<null>> {
  const refused = notPlainData(merchantId);
  if (refused) return refused;
  return merchantAction(merchantId, async ({ actor, db }) => {
    if (actor.sid) await endSudo(db, { sid: actor.sid, merchantId: actor.merchantId, userId: actor.userId });
    return null;
  });
}
