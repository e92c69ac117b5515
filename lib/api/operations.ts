import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/core/actor";
import { createKey, duplicateKey } from "@/lib/keys/services/create-key";
import { editKey, setIpAllowList } from "@/lib/keys/services/update-key";
import { changeKeyStatus } from "@/lib/keys/services/change-key-status";
import { deleteKey } from "@/lib/keys/services/delete-key";
import { regenerateKey } from "@/lib/keys/services/regenerate-key";
import { rotateKey } from "@/lib/keys/services/rotate-key";
import { extendGrace, rollbackRotation } from "@/lib/keys/services/rollback-rotation";
import { findKey } from "@/lib/keys/services/key-access";
import { defineOperation, type Operation } from "./pipeline";
import { listAuditPage, listKeysPage, readKey } from "./reads";
import * as s from "./schemas";

// Every operation of the management API, each calling the same lib/keys service as the portal's
// server action: the rules (role, status, version, rotation windows) are decided there, once.

const KEYS = "/api/v1/merchants/{merchantId}/keys";
const KEY = `${KEYS}/{keyId}`;

/** A secret-issuing service's answer with the key as it is now. */
async function issued(db: Db | Tx, actor: Actor, out: { keyId: string; accessKey: string; secret: string; previousExpiresAt?: string }) {
  return {
    key: await readKey(db, actor, out.keyId),
    accessKey: out.accessKey,
    secret: out.secret,
    previousExpiresAt: out.previousExpiresAt ?? null,
  };
}

/** The version the caller sent, or the one read now: a change made meanwhile then fails as a conflict. */
const versionOf = async (db: Db | Tx, actor: Actor, keyId: string, sent?: number) => sent ?? (await findKey(db, actor, keyId)).version;

export const listKeysOp = defineOperation({
  operationId: "listKeys",
  method: "GET",
  path: KEYS,
  summary: "List API keys",
  description: "The grid's filters, newest first. Pass nextCursor back as cursor for the next page.",
  permission: "keys.read",
  query: s.listKeysQuery,
  response: s.keyListDto,
  run: ({ actor, db, query }) => listKeysPage(db, actor, query),
});

export const createKeyOp = defineOperation({
  operationId: "createKey",
  method: "POST",
  path: KEYS,
  summary: "Create an API key",
  description: "The secret is in this response only.",
  permission: "keys.write",
  body: s.createKeyBody,
  response: s.issuedKeyDto,
  status: 201,
  run: async ({ actor, db, body }) => issued(db, actor, await createKey(db, actor, body)),
});

export const getKeyOp = defineOperation({
  operationId: "getKey",
  method: "GET",
  path: KEY,
  summary: "Read an API key",
  permission: "keys.read",
  response: s.keyDto,
  run: ({ actor, db, keyId }) => readKey(db, actor, keyId),
});

export const updateKeyOp = defineOperation({
  operationId: "updateKey",
  method: "PATCH",
  path: KEY,
  summary: "Rename an API key or change its description",
  description: "Nothing else of a key is editable: permissions, environment and channel are fixed at creation.",
  permission: "keys.write",
  body: s.updateKeyBody,
  response: s.keyDto,
  run: async ({ actor, db, keyId, body }) => {
    const key = await findKey(db, actor, keyId);
    const version = body.version ?? key.version;
    await editKey(db, actor, keyId, { name: body.name ?? key.name, description: body.description ?? key.description, version });
    return readKey(db, actor, keyId);
  },
});

export const deleteKeyOp = defineOperation({
  operationId: "deleteKey",
  method: "DELETE",
  path: KEY,
  summary: "Delete an API key for good",
  description: "Its history stays in the audit log.",
  permission: "keys.delete",
  query: s.versionQuery,
  response: s.deletedKeyDto,
  run: async ({ actor, db, keyId, query }) => {
    const done = await deleteKey(db, actor, keyId, { version: query.version });
    return { id: done.keyId, name: done.name, deleted: true as const };
  },
});

export const setIpAllowListOp = defineOperation({
  operationId: "setIpAllowList",
  method: "PUT",
  path: `${KEY}/ip-allow-list`,
  summary: "Replace a key's IP allow-list",
  description: "IPv4/IPv6 addresses and CIDRs; an empty list allows any address.",
  permission: "keys.write",
  body: s.ipAllowListBody,
  response: s.keyDto,
  run: async ({ actor, db, keyId, body }) => {
    await setIpAllowList(db, actor, keyId, { ipAllowList: body.ipAllowList, version: await versionOf(db, actor, keyId, body.version) });
    return readKey(db, actor, keyId);
  },
});

const keyAction = (
  operationId: string,
  segment: string,
  summary: string,
  permission: Operation["permission"],
  change: (db: Db | Tx, actor: Actor, keyId: string, version: number) => Promise<unknown>,
) =>
  defineOperation({
    operationId,
    method: "POST",
    path: `${KEY}/${segment}`,
    summary,
    permission,
    body: s.versionBody,
    response: s.keyDto,
    run: async ({ actor, db, keyId, body }) => {
      await change(db, actor, keyId, await versionOf(db, actor, keyId, body.version));
      return readKey(db, actor, keyId);
    },
  });

export const disableKeyOp = keyAction("disableKey", "disable", "Disable an API key", "keys.toggle", (db, a, id, version) =>
  changeKeyStatus(db, a, id, "disable", { version }),
);
export const enableKeyOp = keyAction("enableKey", "enable", "Enable an API key", "keys.toggle", (db, a, id, version) =>
  changeKeyStatus(db, a, id, "enable", { version }),
);
export const revokeKeyOp = keyAction("revokeKey", "revoke", "Revoke a disabled API key (for good)", "keys.revoke", (db, a, id, version) =>
  changeKeyStatus(db, a, id, "revoke", { version }),
);

export const duplicateKeyOp = defineOperation({
  operationId: "duplicateKey",
  method: "POST",
  path: `${KEY}/duplicate`,
  summary: "Duplicate an API key",
  description: 'Same channel, environment, permissions, IP allow-list and description, named "<name> (copy)", with a new secret.',
  permission: "keys.write",
  body: s.emptyBody,
  response: s.issuedKeyDto,
  status: 201,
  run: async ({ actor, db, keyId }) => issued(db, actor, await duplicateKey(db, actor, keyId)),
});

export const rotateKeyOp = defineOperation({
  operationId: "rotateKey",
  method: "POST",
  path: `${KEY}/rotate`,
  summary: "Rotate an API key",
  description: "A new current credential; the previous one keeps working until the grace window ends.",
  permission: "keys.rotate",
  body: s.rotateBody,
  response: s.issuedKeyDto,
  run: async ({ actor, db, keyId, body }) => {
    const version = await versionOf(db, actor, keyId, body.version);
    return issued(db, actor, await rotateKey(db, actor, keyId, { grace: body.grace, version, own: body.own }));
  },
});

export const regenerateKeyOp = defineOperation({
  operationId: "regenerateKey",
  method: "POST",
  path: `${KEY}/regenerate`,
  summary: "Regenerate an API key's secret (rotate with no grace window)",
  permission: "keys.rotate",
  body: s.regenerateBody,
  response: s.issuedKeyDto,
  run: async ({ actor, db, keyId, body }) =>
    issued(db, actor, await regenerateKey(db, actor, keyId, { version: await versionOf(db, actor, keyId, body.version), own: body.own })),
});

export const rollbackKeyOp = defineOperation({
  operationId: "rollbackKey",
  method: "POST",
  path: `${KEY}/rollback`,
  summary: "Roll back a rotation",
  description: "Only while the previous credential still works: it becomes current again, with no expiry.",
  permission: "keys.rollback",
  body: s.emptyBody,
  response: s.keyDto,
  run: async ({ actor, db, keyId }) => {
    await rollbackRotation(db, actor, keyId);
    return readKey(db, actor, keyId);
  },
});

export const extendGraceOp = defineOperation({
  operationId: "extendGrace",
  method: "POST",
  path: `${KEY}/extend`,
  summary: "Extend an open grace window",
  description: "Once, to at most 7 days after the rotation.",
  permission: "keys.rotate",
  body: s.extendBody,
  response: s.keyDto,
  run: async ({ actor, db, keyId, body }) => {
    await extendGrace(db, actor, keyId, new Date(body.until));
    return readKey(db, actor, keyId);
  },
});

export const listAuditEventsOp = defineOperation({
  operationId: "listAuditEvents",
  method: "GET",
  path: "/api/v1/merchants/{merchantId}/audit-events",
  summary: "List audit events",
  description: "Newest first; filter by key or action. Pass nextCursor back as cursor for the next page.",
  permission: "audit.read",
  query: s.listAuditQuery,
  response: s.auditListDto,
  run: ({ actor, db, query }) => listAuditPage(db, actor, query),
});

export const OPERATIONS: Operation[] = [
  listKeysOp,
  createKeyOp,
  getKeyOp,
  updateKeyOp,
  deleteKeyOp,
  setIpAllowListOp,
  duplicateKeyOp,
  disableKeyOp,
  enableKeyOp,
  revokeKeyOp,
  rotateKeyOp,
  regenerateKeyOp,
  rollbackKeyOp,
  extendGraceOp,
  listAuditEventsOp,
];
