import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createActor, createKey as factoryKey } from "@/prisma/factories";
import { AppError } from "@/lib/core/errors";
import { decrypt } from "@/lib/crypto/encryption";
import { createKeySchema } from "@/lib/keys/schema";
import { createKey } from "@/lib/keys/services/create-key";
import { rotateKey } from "@/lib/keys/services/rotate-key";
import { regenerateKey } from "@/lib/keys/services/regenerate-key";
import { rollbackRotation } from "@/lib/keys/services/rollback-rotation";
import { changeKeyStatus } from "@/lib/keys/services/change-key-status";
import { deleteKey } from "@/lib/keys/services/delete-key";
import { retireExpiredPrevious } from "@/lib/keys/sweep";
import { runOutbox } from "@/lib/jobs/outbox";
import { RETENTION, runRetention } from "@/lib/jobs/retention";
import { WEBHOOK_EVENT_TYPES } from "./events";
import {
  createEndpoint,
  deleteEndpoint,
  NO_SIGNING_SECRET,
  resendDelivery,
  sendTestEvent,
  setEndpointEnabled,
  updateEndpoint,
} from "./service";
import { deriveSigningSecret } from "./signing";
import { webhookQueue } from "./worker";
import { PRIVATE_ADDRESS } from "./url-safety";
import { AUTO_DISABLED_REASON } from "./auto-disable";

let db: Database;
let server: http.Server;
let base = "";
/** What the receiver got, and what it answers next (per path). */
const received: { path: string; headers: Record<string, string>; body: string }[] = [];
const answers = new Map<string, number[]>();

beforeAll(async () => {
  process.env.KEYPORT_WEBHOOKS_ALLOW_PRIVATE = "1";
  db = await createTestDatabase();
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers as Record<string, string>, body });
      const status = answers.get(req.url ?? "")?.shift() ?? 200;
      if (status === 302) return void res.writeHead(302, { location: `${base}/followed` }).end();
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : `x${"e".repeat(3000)}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await db?.close();
  delete process.env.KEYPORT_WEBHOOKS_ALLOW_PRIVATE;
});

const LOOPBACK = () => ({ production: false, allowLoopback: true });
const HOUR = 3600_000;
const restKey = (name = "Signer") =>
  createKeySchema.parse({ name, environment: "sandbox", channel: "REST", permissions: ["payments:read"] });
/** Runs the webhook queue until nothing is due at `now` (each pass is one attempt per due row). */
const deliverAll = (now = new Date(), policy = LOOPBACK) => runOutbox(db.prisma, webhookQueue(db.prisma, policy), now, 100);
const at = (path: string) => received.filter((r) => r.path === path);
const verifies = (secret: string, r: { body: string; headers: Record<string, string> }) => {
  try {
    new Webhook(secret).verify(r.body, r.headers);
    return true;
  } catch {
    return false;
  }
};

async function world(path: string) {
  const owner = await createActor(db.prisma, "OWNER");
  const signer = await createKey(db.prisma, owner, restKey());
  const { endpointId } = await createEndpoint(db.prisma, owner, {
    environment: "sandbox",
    url: `${base}${path}`,
    description: "",
    events: [...WEBHOOK_EVENT_TYPES],
    signingKeyId: signer.keyId,
  });
  return { owner, signer, endpointId };
}

describe("signing secrets", () => {
  it("are derived when a secret is created, rotated or regenerated, and stored encrypted", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const issued = await createKey(db.prisma, owner, restKey());
    const stored = async () =>
      (
        await db.prisma.webhookSigningSecret.findMany({
          where: { credential: { apiKeyId: issued.keyId, slot: "CURRENT" } },
        })
      ).map((s) => s.secretEnc);
    const [enc] = await stored();
    expect(enc).not.toContain(deriveSigningSecret(issued.secret));
    expect(decrypt(enc)).toBe(deriveSigningSecret(issued.secret));
    const rotated = await rotateKey(db.prisma, owner, issued.keyId, { grace: "24h", version: 0 });
    expect(decrypt((await stored())[0])).toBe(deriveSigningSecret(rotated.secret));
    const regenerated = await regenerateKey(db.prisma, owner, issued.keyId);
    expect(decrypt((await stored())[0])).toBe(deriveSigningSecret(regenerated.secret));
  });

  it("a key from before webhooks (no derived secret) is refused as signer, saying what to do", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const old = await factoryKey(db.prisma, { merchantId: owner.merchantId, environment: "sandbox" });
    const err = await createEndpoint(db.prisma, owner, {
      environment: "sandbox",
      url: `${base}/old`,
      description: "",
      events: ["key.created"],
      signingKeyId: old.key.id,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).fieldErrors?.signingKeyId).toBe(NO_SIGNING_SECRET);
    expect(await db.prisma.webhookEndpoint.count({ where: { merchantId: owner.merchantId } })).toBe(0);
  });
});

describe("events and deliveries", () => {
  it("key.rotated verifies with the old and the new key's secrets; after rollback only the old; after the window ends only the new", async () => {
    const { owner, signer } = await world("/rotation");
    const oldSecret = deriveSigningSecret(signer.secret);
    await deliverAll();
    const rotated = await rotateKey(db.prisma, owner, signer.keyId, { grace: "24h", version: 0 });
    const newSecret = deriveSigningSecret(rotated.secret);
    await deliverAll();
    const rotatedEvent = at("/rotation").find((r) => JSON.parse(r.body).type === "key.rotated")!;
    expect(JSON.parse(rotatedEvent.body).data.previousExpiresAt).toBe(rotated.previousExpiresAt);
    expect(rotatedEvent.headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect([verifies(oldSecret, rotatedEvent), verifies(newSecret, rotatedEvent)]).toEqual([true, true]);

    await rollbackRotation(db.prisma, owner, signer.keyId);
    await deliverAll();
    const rolledBack = at("/rotation").find((r) => JSON.parse(r.body).type === "key.rolled_back")!;
    expect([verifies(oldSecret, rolledBack), verifies(newSecret, rolledBack)]).toEqual([true, false]);

    // A second rotation with a 1-hour window, ended by the sweep (the portal's shortest window is an hour).
    const version = (await db.prisma.apiKey.findUniqueOrThrow({ where: { id: signer.keyId } })).version;
    const second = await rotateKey(db.prisma, owner, signer.keyId, { grace: "1h", version });
    const secondSecret = deriveSigningSecret(second.secret);
    await retireExpiredPrevious(db.prisma, new Date(Date.now() + 2 * HOUR));
    await deliverAll();
    const expired = at("/rotation").find((r) => JSON.parse(r.body).type === "key.previous_expired")!;
    expect([verifies(oldSecret, expired), verifies(secondSecret, expired)]).toEqual([false, true]);
  });

  it("payloads carry ids, names, status and times: no secret, hash or signing secret", async () => {
    const { owner, signer } = await world("/payloads");
    const other = await createKey(db.prisma, owner, restKey("Other"));
    const rotated = await rotateKey(db.prisma, owner, other.keyId, { grace: "24h", version: 0 });
    await changeKeyStatus(db.prisma, owner, other.keyId, "disable");
    await deleteKey(db.prisma, owner, other.keyId);
    const hashes = (await db.prisma.credential.findMany({ where: { apiKeyId: signer.keyId }, omit: { secretHash: false } })).map(
      (c) => c.secretHash,
    );
    const events = await db.prisma.webhookEvent.findMany({ where: { merchantId: owner.merchantId } });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["key.created", "key.rotated", "key.disabled", "key.deleted"]));
    const all = JSON.stringify(events.map((e) => e.payload));
    for (const needle of [
      signer.secret,
      other.secret,
      rotated.secret,
      deriveSigningSecret(signer.secret),
      deriveSigningSecret(rotated.secret),
      ...hashes,
    ])
      expect(all).not.toContain(needle);
    const deleted = events.find((e) => e.type === "key.deleted")!.payload as { data: Record<string, unknown> };
    expect(Object.keys(deleted.data).sort()).toEqual(
      ["channel", "createdAt", "environment", "expiresAt", "keyId", "lastRotatedAt", "merchantId", "name", "status", "updatedAt"].sort(),
    );
  });

  it("500, 500, then 200: one event delivered once, three attempts kept (newest first), the same webhook-id each time", async () => {
    const { owner, endpointId } = await world("/flaky");
    await deliverAll();
    answers.set("/flaky", [500, 500, 200]);
    await sendTestEvent(db.prisma, owner, endpointId);
    let now = Date.now();
    for (let i = 0; i < 3; i++) {
      await deliverAll(new Date(now));
      now += 3 * HOUR; // past any of the first waits
    }
    const pings = at("/flaky").filter((r) => JSON.parse(r.body).type === "ping");
    expect(pings).toHaveLength(3);
    expect(new Set(pings.map((p) => p.headers["webhook-id"])).size).toBe(1);
    const delivery = await db.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId, event: { type: "ping" } } });
    expect(delivery).toMatchObject({ status: "SENT", attempts: 3 });
    const attempts = await db.prisma.webhookAttempt.findMany({ where: { deliveryId: delivery.id }, orderBy: { createdAt: "desc" } });
    expect(attempts.map((a) => a.statusCode)).toEqual([200, 500, 500]);
    expect(attempts[1].responseBody).toHaveLength(1024);
    expect((await db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })).failingSince).toBeNull();
    // Resend: the same event again, under the same webhook-id.
    await resendDelivery(db.prisma, owner, delivery.id);
    await deliverAll();
    const again = at("/flaky").filter((r) => JSON.parse(r.body).type === "ping");
    expect(again).toHaveLength(4);
    expect(again[3].headers["webhook-id"]).toBe(pings[0].headers["webhook-id"]);
  });

  it("a delivery is refused at the connection when loopback is not allowed, however the URL was saved", async () => {
    const { owner, endpointId } = await world("/refused");
    await deliverAll();
    const before = at("/refused").length;
    await sendTestEvent(db.prisma, owner, endpointId);
    await deliverAll(new Date(), () => ({ production: false, allowLoopback: false }));
    expect(at("/refused").length).toBe(before);
    const [attempt] = await db.prisma.webhookAttempt.findMany({ where: { endpointId }, orderBy: { createdAt: "desc" }, take: 1 });
    expect(attempt).toMatchObject({ ok: false, statusCode: null, error: PRIVATE_ADDRESS });
  });

  it("an endpoint failing for 3 days is disabled, its pending deliveries dropped, its owners mailed, the audit written", async () => {
    const { owner, endpointId } = await world("/down");
    await deliverAll();
    answers.set("/down", Array(10).fill(503));
    await db.prisma.webhookEndpoint.update({
      where: { id: endpointId },
      data: { failingSince: new Date(Date.now() - 3 * 24 * HOUR - 1000) },
    });
    await sendTestEvent(db.prisma, owner, endpointId);
    await deliverAll();
    const ep = await db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
    expect(ep).toMatchObject({ enabled: false, disabledReason: AUTO_DISABLED_REASON });
    expect(await db.prisma.webhookDelivery.count({ where: { endpointId, status: "PENDING" } })).toBe(0);
    const mail = await db.prisma.outboxMail.findMany({ where: { template: "webhook-endpoint-disabled", toAddress: owner.email } });
    expect(mail).toHaveLength(1);
    expect(await db.prisma.auditEvent.count({ where: { merchantId: owner.merchantId, action: "webhook.endpoint_auto_disabled" } })).toBe(1);
    // Enabled again by hand: a fresh failure clock.
    await setEndpointEnabled(db.prisma, owner, endpointId, true);
    expect((await db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })).failingSince).toBeNull();
  });

  it("a redirect is not followed: it counts as a failed attempt", async () => {
    const { owner, endpointId } = await world("/moved");
    await deliverAll();
    answers.set("/moved", [302]);
    await sendTestEvent(db.prisma, owner, endpointId);
    await deliverAll();
    expect(at("/followed")).toHaveLength(0);
    const [attempt] = await db.prisma.webhookAttempt.findMany({ where: { endpointId }, orderBy: { createdAt: "desc" }, take: 1 });
    expect(attempt).toMatchObject({ ok: false, statusCode: 302 });
    expect((await db.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId, event: { type: "ping" } } })).status).toBe("PENDING");
  });
});

describe("endpoint changes", () => {
  it("each writes an audit row; a refused change (bad URL, another merchant's endpoint) writes nothing", async () => {
    const { owner, signer, endpointId } = await world("/audited");
    const fields = { url: `${base}/audited-2`, description: "moved", events: ["key.rotated" as const], signingKeyId: signer.keyId };
    await updateEndpoint(db.prisma, owner, { endpointId, version: 0, ...fields });
    await setEndpointEnabled(db.prisma, owner, endpointId, false);
    await setEndpointEnabled(db.prisma, owner, endpointId, true);
    await sendTestEvent(db.prisma, owner, endpointId);
    const before = await db.prisma.auditEvent.count({ where: { merchantId: owner.merchantId } });
    const refused = await updateEndpoint(db.prisma, owner, { endpointId, version: 3, ...fields, url: "https://169.254.169.254/" }).catch(
      (e) => e,
    );
    expect((refused as AppError).fieldErrors?.url).toBe(PRIVATE_ADDRESS);
    const stranger = await createActor(db.prisma, "OWNER");
    expect(((await deleteEndpoint(db.prisma, stranger, endpointId).catch((e) => e)) as AppError).code).toBe("NOT_FOUND");
    const developer = await createActor(db.prisma, "DEVELOPER", owner.merchantId);
    expect(((await deleteEndpoint(db.prisma, developer, endpointId).catch((e) => e)) as AppError).code).toBe("FORBIDDEN");
    expect(await db.prisma.auditEvent.count({ where: { merchantId: owner.merchantId } })).toBe(before);
    await deleteEndpoint(db.prisma, owner, endpointId);
    const actions = (
      await db.prisma.auditEvent.findMany({
        where: { merchantId: owner.merchantId, action: { startsWith: "webhook." } },
        orderBy: { createdAt: "asc" },
      })
    ).map((a) => a.action);
    expect(actions.sort()).toEqual(
      [
        "webhook.endpoint_created",
        "webhook.endpoint_updated",
        "webhook.endpoint_disabled",
        "webhook.endpoint_enabled",
        "webhook.test_sent",
        "webhook.endpoint_deleted",
      ].sort(),
    );
    expect(await db.prisma.webhookEndpoint.count({ where: { id: endpointId } })).toBe(0);
  });
});

describe("retention", () => {
  it("drops events older than 30 days with nothing pending, their deliveries and attempts with them", async () => {
    const { owner, endpointId } = await world("/retained");
    await deliverAll();
    await sendTestEvent(db.prisma, owner, endpointId);
    await sendTestEvent(db.prisma, owner, endpointId);
    await deliverAll();
    const [done, pending] = await db.prisma.webhookDelivery.findMany({ where: { endpointId, event: { type: "ping" } } });
    await db.prisma.webhookDelivery.update({ where: { id: pending.id }, data: { status: "PENDING" } });
    const later = new Date(Date.now() + RETENTION.webhookEventsMs + 60_000);
    await runRetention(db.prisma, later);
    expect(await db.prisma.webhookEvent.count({ where: { id: done.eventId } })).toBe(0);
    expect(await db.prisma.webhookAttempt.count({ where: { deliveryId: done.id } })).toBe(0);
    expect(await db.prisma.webhookEvent.count({ where: { id: pending.eventId } })).toBe(1);
  });
});
