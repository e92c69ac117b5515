import type { ApiKey } from "@/lib/generated/prisma/client";
import { can, type AppPermission } from "@/lib/core/permissions";
import type { Actor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { isAllowed, type LifecycleAction } from "../rules";
import type { Environment } from "../types";

export function assertCan(actor: Actor, permission: AppPermission, environment?: Environment) {
  if (!can(actor.role, permission, environment)) throw new AppError("FORBIDDEN");
}

export function assertAllowed(key: Pick<ApiKey, "status">, action: LifecycleAction) {
  if (!isAllowed(key.status, action)) throw new AppError("INVALID_TRANSITION");
}
