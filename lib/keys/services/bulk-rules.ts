// Bulk actions on the Developers tab grid, as pure rules: which keys of a selection an action
// applies to, and why the others are skipped. The batch service and the dialog both ask these.
import { z } from "zod";
import { can, STEP_UP_PERMISSIONS, type AppPermission } from "@/lib/core/permissions";
import { isAllowed } from "../rules";
import { keepConfirmedField, keyIdField, otpField, versionField } from "../schema";
import type { Environment, KeyStatus, Role } from "../types";

export const BULK_ACTIONS = ["disable", "enable", "revoke", "delete"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
/** A page of the grid at most ("Select all on this page"), with room to spare. */
export const MAX_BULK_KEYS = 100;

/** The permission each action needs: the same as the single action's. */
export const BULK_PERMISSION: Record<BulkAction, AppPermission> = {
  disable: "keys.toggle",
  enable: "keys.toggle",
  revoke: "keys.revoke",
  delete: "keys.delete",
};
/** One authenticator code for the whole batch, where the single action asks for one. */
export const bulkNeedsStepUp = (action: BulkAction) => STEP_UP_PERMISSIONS.includes(BULK_PERMISSION[action]);

export interface BulkCandidate {
  status: KeyStatus;
  environment: Environment;
}

/** Why this key is left out (a short label: "revoked", "already disabled"…), or null when the rules allow the action on it. */
export function bulkSkipReason(key: BulkCandidate, action: BulkAction, role: Role): string | null {
  if (!can(role, BULK_PERMISSION[action], key.environment)) return "not allowed for your role";
  if (key.status === "REVOKED") return "revoked";
  if (isAllowed(key.status, action)) return null;
  if (action === "revoke") return "still enabled (only disabled keys can be revoked)";
  if (action === "disable") return "already disabled";
  if (action === "enable") return "already enabled";
  return "not possible in its current status";
}

/** "3 keys will be skipped: 2 still enabled (only disabled keys can be revoked), 1 revoked." */
export function skipSummary(skipped: readonly { reason: string }[]): string | null {
  if (!skipped.length) return null;
  const counts = new Map<string, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  const parts = [...counts].map(([reason, n]) => `${n} ${reason}`);
  return `${skipped.length} ${skipped.length === 1 ? "key" : "keys"} will be skipped: ${parts.join(", ")}.`;
}

export const bulkPlanSchema = z.strictObject({
  action: z.enum(BULK_ACTIONS),
  keyIds: z.array(keyIdField).min(1, "Select at least one key.").max(MAX_BULK_KEYS),
});
/** The keys the dialog showed, at the versions it read: one changed meanwhile is refused, the others go on. */
export const bulkRunSchema = z.strictObject({
  keys: z
    .array(z.strictObject({ keyId: keyIdField, version: versionField }))
    .min(1, "Select at least one key.")
    .max(MAX_BULK_KEYS),
  confirmed: z.literal(true, { error: "Tick the confirmation box." }),
  otp: otpField,
  keepConfirmed: keepConfirmedField,
});
