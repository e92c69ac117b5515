import type { Role } from "@/lib/keys/types";

/** Which door a request came through: recorded with the audit so a change can be traced back. */
export type Door = "action" | "api" | "system";

/** Where a request came from. The client IP is the one the project's server read from the socket. */
export interface RequestMeta {
  door?: Door;
  clientIp?: string | null;
  userAgent?: string | null;
}

/** Who is acting, on which merchant (their role there already resolved), from where. */
export interface Actor extends RequestMeta {
  userId: string;
  email: string;
  role: Role;
  merchantId: string;
  /** A management token acting for its creator (door "api"): the audit names it. */
  token?: { id: string; name: string };
  /** The portal session acting (door "action"): a step-up's sudo window belongs to it. */
  sid?: string;
}
