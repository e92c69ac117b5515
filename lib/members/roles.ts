import type { Role } from "@/lib/keys/types";

// Pure rules of roles across a merchant family (docs/design.md §2) and of invitations' reach.

const RANK: Record<Role, number> = { VIEWER: 0, DEVELOPER: 1, ADMIN: 2, OWNER: 3 };

export const outranks = (a: Role, b: Role) => RANK[a] > RANK[b];

/**
 * The role on a merchant: the higher of a membership there and the one inherited from its master
 * account. An explicit membership on a sub-account may add rights, never take inherited ones away,
 * so a sub-account's owner cannot demote the master's owner by inviting them as Viewer.
 */
export function effectiveRole(direct: Role | null | undefined, inherited: Role | null | undefined): Role | null {
  if (!direct) return inherited ?? null;
  if (!inherited) return direct;
  return outranks(inherited, direct) ? inherited : direct;
}

/** A role given on a sub-account below the one inherited from the master is refused. */
export const isBelowInherited = (role: Role, inherited: Role | null | undefined) => !!inherited && outranks(inherited, role);

/**
 * An invitation reaches only as far as its sender still does: once they are removed (null) or
 * demoted below the role it grants, it may not be used.
 */
export const invitationOutranksInviter = (invited: Role, inviterRole: Role | null) =>
  inviterRole === null || outranks(invited, inviterRole);
