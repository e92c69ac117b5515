// Sessions are re-checked against the database on every request: removal, disabling and sign-out
// end them at once, whatever the (still validly signed) token says.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/lib/db/client";

const ctx = vi.hoisted(() => ({ db: null as unknown as Database, session: null as null | Record<string, unknown> }));
vi.mock("@/lib/db/client", async (orig) => ({ ...(await orig<typeof import("@/lib/db/client")>()), getDb: async () => ctx.db.prisma }));
vi.mock("@/lib/auth/next-auth", () => ({ auth: async () => ctx.session }));
vi.mock("react", async (orig) => ({ ...(await orig<typeof import("react")>()), cache: <T>(fn: T) => fn }));

import { createTestDatabase } from "@/lib/testing/db";
import { createActor } from "@/prisma/factories";
import { getSessionUser } from "@/lib/auth/session";
import { disableUser, removeMember } from "@/lib/members/membership";

beforeAll(async () => (ctx.db = await createTestDatabase()));
afterAll(async () => ctx.db?.close());

async function signedIn(role: "OWNER" | "DEVELOPER", merchantId?: string) {
  const actor = await createActor(ctx.db.prisma, role, merchantId);
  const u = await ctx.db.prisma.user.findUniqueOrThrow({ where: { id: actor.userId } });
  const session = { user: { id: u.id, email: u.email, name: u.name }, sid: randomUUID(), sessionVersion: u.sessionVersion };
  return { actor, session };
}

describe("sessions", () => {
  it("removing a member ends their session on the next request", async () => {
    const owner = await signedIn("OWNER");
    const dev = await signedIn("DEVELOPER", owner.actor.merchantId);
    ctx.session = dev.session;
    expect((await getSessionUser())?.id).toBe(dev.actor.userId);
    const m = await ctx.db.prisma.membership.findFirstOrThrow({ where: { userId: dev.actor.userId } });
    await removeMember(ctx.db.prisma, owner.actor, m.id);
    expect(await getSessionUser()).toBeNull();
  });

  it("disabling a user ends their session", async () => {
    const dev = await signedIn("DEVELOPER");
    ctx.session = dev.session;
    expect(await getSessionUser()).not.toBeNull();
    await disableUser(ctx.db.prisma, dev.actor.userId);
    expect(await getSessionUser()).toBeNull();
  });

  it("a signed-out session id is refused when replayed, and a token without a session id too", async () => {
    const dev = await signedIn("DEVELOPER");
    ctx.session = dev.session;
    await ctx.db.prisma.revokedSession.create({
      data: { id: dev.session.sid, userId: dev.actor.userId, expiresAt: new Date(Date.now() + 3600_000) },
    });
    expect(await getSessionUser()).toBeNull();
    ctx.session = { ...dev.session, sid: undefined };
    expect(await getSessionUser()).toBeNull();
    ctx.session = { ...dev.session, sid: "not-a-uuid'; --" };
    expect(await getSessionUser()).toBeNull();
  });

  it("a token for a user that no longer exists, or with an old session version, is refused", async () => {
    const dev = await signedIn("DEVELOPER");
    ctx.session = { ...dev.session, sessionVersion: (dev.session.sessionVersion as number) - 1 };
    expect(await getSessionUser()).toBeNull();
    ctx.session = { ...dev.session, user: { id: "00000000-0000-4000-8000-000000000000", email: "ghost@example.test" } };
    expect(await getSessionUser()).toBeNull();
  });
});
