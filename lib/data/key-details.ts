import "server-only";
import { maskAccessKey } from "@/lib/keys/secret";
import { CUSTOM_SECRET_MASK } from "@/lib/keys/custom-credentials";
import { notFound } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { can, STEP_UP_PERMISSIONS } from "@/lib/core/permissions";
import { isUuid } from "@/lib/core/ids";
import { availableActions, displayStatus, isExpired, type LifecycleAction } from "@/lib/keys/rules";
import { rotationState } from "@/lib/keys/rotation";
import type { Channel, DisplayStatus, Environment, KeyStatus, Role } from "@/lib/keys/types";

export interface KeyDetailsDto {
  id: string;
  name: string;
  description: string;
  environment: Environment;
  channel: Channel;
  status: KeyStatus;
  displayStatus: DisplayStatus;
  version: number;
  permissions: string[];
  ipAllowList: string[];
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  lastRotatedAt: string | null;
  lastUsedAt: string | null;
  createdBy: string;
  updatedBy: string;
  credentials: {
    id: string;
    slot: "CURRENT" | "PREVIOUS";
    kind: "GENERATED" | "USER_CHOSEN";
    accessKey: string | null;
    accessKeyHint: string;
    secretHint: string;
    expiresAt: string | null;
    createdAt: string;
    graceExtended: boolean;
    rotatedAt: string | null;
  }[];
  /** Wrong passwords for a user-chosen credential in the last day, from the verifier's guessing report. */
  guessing: { failures: number; addresses: number; since: string; lastFailureAt: string } | null;
  /** A leak report's "Exposed" badge (lib/leaks), until a rotation, a revoke or an owner ends it. */
  exposed: { at: string; url: string | null } | null;
  history: { id: string; action: string; actor: string; clientIp: string | null; at: string; before: unknown; after: unknown }[];
  /** Decided on the server's clock by lib/keys, never the browser's. */
  expired: boolean;
  /** rotationState's answers (lib/keys/rotation.ts), on the server's clock: the page and the card read these, never recompute. */
  rotation: {
    /** A previous credential still works: the grace window is open. */
    windowOpen: boolean;
    rotate: boolean;
    regenerate: boolean;
    rollback: boolean;
    extend: boolean;
    revokePrevious: boolean;
    /** The ends an extension may pick (ISO), empty when it cannot be extended. */
    extendOptions: string[];
  };
  /** What this user may do to this key now: role and status together. */
  can: {
    copy: boolean;
    edit: boolean;
    toggle: boolean;
    create: boolean;
    rotate: boolean;
    regenerate: boolean;
    extend: boolean;
    rollback: boolean;
    revoke: boolean;
    delete: boolean;
    /** Any of the actions above that ask for an authenticator code. */
    stepUp: boolean;
    actions: LifecycleAction[];
  };
}

/** A guessing report is shown this long after its last wrong password. */
const GUESSING_SHOWN_MS = 24 * 3600_000;

/** A key of the merchant, as this role may see it; 404 when it is not this merchant's. */
export async function getKeyDetails(merchantId: string, keyId: string, role: Role, now = new Date()): Promise<KeyDetailsDto> {
  if (!isUuid(keyId)) notFound();
  const db = await getDb();
  const key = await db.apiKey.findFirst({
    where: { id: keyId, merchantId },
    include: { credentials: { orderBy: { slot: "asc" } } },
  });
  if (!key) notFound();
  const [people, events, guessing] = await Promise.all([
    db.user.findMany({
      where: { id: { in: [key.createdById, key.updatedById].filter((x): x is string => !!x) } },
      select: { id: true, name: true, email: true },
    }),
    db.auditEvent.findMany({ where: { apiKeyId: key.id, merchantId }, orderBy: { createdAt: "desc" }, take: 100 }),
    db.guessingReport.findFirst({
      where: { apiKeyId: key.id, lastFailureAt: { gt: new Date(now.getTime() - GUESSING_SHOWN_MS) } },
      orderBy: { lastFailureAt: "desc" },
    }),
  ]);
  const who = (id: string | null) => {
    const p = people.find((x) => x.id === id);
    return p ? `${p.name} (${p.email})` : "Unknown user";
  };
  const mayCopy = can(role, "keys.copy");
  const previous = key.credentials.find((c) => c.slot === "PREVIOUS");
  return {
    id: key.id,
    name: key.name,
    description: key.description,
    environment: key.environment,
    channel: key.channel,
    status: key.status,
    displayStatus: displayStatus(key, now),
    version: key.version,
    permissions: key.permissions,
    ipAllowList: key.ipAllowList,
    createdAt: key.createdAt.toISOString(),
    updatedAt: key.updatedAt.toISOString(),
    expiresAt: key.expiresAt.toISOString(),
    lastRotatedAt: key.lastRotatedAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    createdBy: who(key.createdById),
    updatedBy: who(key.updatedById),
    credentials: key.credentials.map((c) => ({
      id: c.id,
      slot: c.slot,
      kind: c.kind,
      accessKey: mayCopy ? c.accessKey : null,
      accessKeyHint: maskAccessKey(c.accessKey),
      secretHint: c.kind === "USER_CHOSEN" ? CUSTOM_SECRET_MASK : c.secretHint,
      expiresAt: c.expiresAt?.toISOString() ?? null,
      createdAt: c.createdAt.toISOString(),
      graceExtended: c.graceExtended,
      rotatedAt: c.rotatedAt?.toISOString() ?? null,
    })),
    exposed: key.exposedAt ? { at: key.exposedAt.toISOString(), url: key.exposedUrl } : null,
    guessing: guessing
      ? {
          failures: guessing.failures,
          addresses: guessing.addresses,
          since: guessing.windowStartedAt.toISOString(),
          lastFailureAt: guessing.lastFailureAt.toISOString(),
        }
      : null,
    history: events.map((e) => ({
      id: e.id,
      action: e.action,
      actor: e.actorEmail,
      clientIp: e.clientIp,
      at: e.createdAt.toISOString(),
      before: e.before,
      after: e.after,
    })),
    expired: isExpired(key.expiresAt, now),
    rotation: (() => {
      const state = rotationState(key, previous, now);
      return {
        windowOpen: state.windowOpen,
        rotate: state.rotate.ok,
        regenerate: state.regenerate.ok,
        rollback: state.rollback.ok,
        extend: state.extend.ok,
        revokePrevious: state.revokePrevious.ok,
        extendOptions: state.extendOptions.map((d) => d.toISOString()),
      };
    })(),
    can: {
      copy: mayCopy,
      edit: can(role, "keys.write", key.environment),
      toggle: can(role, "keys.toggle", key.environment),
      create: can(role, "keys.write", key.environment),
      rotate: can(role, "keys.rotate", key.environment),
      regenerate: can(role, "keys.rotate", key.environment),
      extend: can(role, "keys.rotate", key.environment),
      rollback: can(role, "keys.rollback", key.environment),
      revoke: can(role, "keys.revoke", key.environment),
      delete: can(role, "keys.delete", key.environment),
      stepUp: STEP_UP_PERMISSIONS.some((p) => can(role, p, key.environment)),
      actions: availableActions(key.status),
    },
  };
}
