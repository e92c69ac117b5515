import "server-only";
import { createKey, duplicateKey } from "@/lib/keys/services/create-key";
import { editKey, setIpAllowList } from "@/lib/keys/services/update-key";
import { deleteKey } from "@/lib/keys/services/delete-key";
import { defineOperation, type Operation } from "./pipeline";
import { listAuditPage, listKeysPage, readKey } from "./reads";
import * as s from "./schemas";
import { issued, KEY, KEYS, versionOf } from "./operation-helpers";
import { API_REPORTER, handleLeakReports } from "@/lib/leaks/report";
import { disableKeyOp, enableKeyOp, extendGraceOp, regenerateKeyOp, revokeKeyOp, rollbackKeyOp, rotateKeyOp } from "./lifecycle-operations";

export { disableKeyOp, enableKeyOp, extendGraceOp, regenerateKeyOp, revokeKeyOp, rollbackKeyOp, rotateKeyOp };

// Every operation of the management API, each calling the same lib/keys service as the portal's
// server action: the rules (role, status, version, rotation windows) are decided there, once.

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
    await editKey(db, actor, keyId, {
      name: body.name,
      description: body.description,
      version: await versionOf(db, actor, keyId, body.version),
    });
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
    const done = await deleteKey(db, actor, keyId, { version: await versionOf(db, actor, keyId, query.version) });
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

export const reportLeaksOp = defineOperation({
  operationId: "reportLeaks",
  method: "POST",
  path: "/api/v1/merchants/{merchantId}/leaks",
  summary: "Report leaked secrets",
  description:
    "For the merchant's own scanners (a CI job running gitleaks or trufflehog), in GitHub's format. Each token is answered by its SHA-256; a live key of this merchant runs its exposure policy, as a report from GitHub's secret scanning would. Another merchant's key is answered false_positive and left alone.",
  permission: "keys.write",
  body: s.leakReportBody,
  response: s.leakAnswersDto,
  run: ({ actor, db, body }) => handleLeakReports(db, body, API_REPORTER, new Date(), actor.merchantId),
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
  reportLeaksOp,
];
