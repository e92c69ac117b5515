import "server-only";
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/core/errors";
import { inTransaction } from "@/lib/core/transaction";
import type { Actor } from "@/lib/core/actor";
import { assertCan } from "@/lib/keys/services/guards";

const slugOf = (name: string) =>
  `${
    name
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 90) || "account"
  }-${randomBytes(3).toString("hex")}`;

/**
 * An owner of a master account creates a sub-account under it (one level only). Its members are
 * the master's until memberships on it say otherwise, and it starts with no keys: its Developers
 * tab opens on the empty state.
 */
export async function createSubAccount(db: Db, actor: Actor, input: { name: string }) {
  assertCan(actor, "merchants.write");
  return inTransaction(db, async (tx) => {
    const master = await tx.merchant.findUniqueOrThrow({ where: { id: actor.merchantId }, select: { parentId: true } });
    if (master.parentId)
      throw new AppError("VALIDATION", {
        fieldErrors: { name: "Sub-accounts cannot have sub-accounts of their own." },
        message: "Create sub-accounts on the master account.",
      });
    const merchant = await tx.merchant.create({ data: { name: input.name, slug: slugOf(input.name), parentId: actor.merchantId } });
    await recordAudit(tx, actor, {
      merchantId: actor.merchantId,
      action: "merchant.sub_account_created",
      after: { id: merchant.id, name: merchant.name },
    });
    return { id: merchant.id, name: merchant.name };
  });
}
