import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/core/actor";
import { changeKeyStatus } from "@/lib/keys/services/change-key-status";
import { regenerateKey } from "@/lib/keys/services/regenerate-key";
import { rotateKey } from "@/lib/keys/services/rotate-key";
import { rollbackRotation } from "@/lib/keys/services/rollback-rotation";
import { extendGrace } from "@/lib/keys/services/extend-grace";
import { defineOperation, type Operation } from "./pipeline";
import { readKey } from "./reads";
import { issued, KEY, versionOf } from "./operation-helpers";
import * as s from "./schemas";

// The lifecycle operations: status changes, rotation, regeneration, rollback and extension, each
// through the service the portal's server action calls.

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
  body: s.versionBody,
  response: s.keyDto,
  run: async ({ actor, db, keyId, body }) => {
    await rollbackRotation(db, actor, keyId, { version: await versionOf(db, actor, keyId, body.version) });
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
    await extendGrace(db, actor, keyId, new Date(body.until), { version: await versionOf(db, actor, keyId, body.version) });
    return readKey(db, actor, keyId);
  },
});
