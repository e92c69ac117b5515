import type { ApiKey } from "@/lib/generated/prisma/client";
import { can, type AppPermission } from "@/lib/core/permissions";
import { can as canByOldName, type Action } from "@/lib/auth/roles";
import type { Actor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { isAllowed, type LifecycleAction } from "../rules";
import type { Environment } from "../types";

/** The older action names (lib/auth/roles) are still accepted while callers move to resource.verb. */
export function assertCan(actor: Actor, permission: AppPermission | Action, environment?: Environment) {
  const allowed = permission.includes(".") ? can(actor.role, permission as AppPermission, environment) : canByOldName(actor.role, permission as Action, environment);
  if (!allowed) throw new AppError("FORBIDDEN");
}

export function assertAllowed(key: Pick<ApiKey, "status">, action: LifecycleAction) {
  if (!isAllowed(key.status, action)) throw new AppError("INVALID_TRANSITION");
}
