import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createUser, TEST_PASSWORD } from "@/prisma/factories";
import { afterFailure, authenticate, LoginError, LOGIN_WINDOW_MS } from "./login";

const fail = (db: Database, email: string, now?: Date) =>
  authenticate(db.prisma, email, "wrong password!", now).then(() => null, (e: LoginError) => e.code);

describe("sign-in", () => {
  let db: Database;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db?.close());

  it("accepts the right password, case-insensitive e-mail", async () => {
    const user = await createUser(db.prisma);
    const ok = await authenticate(db.prisma, `  ${user.email.toUpperCase()} `, TEST_PASSWORD);
    expect(ok.id).toBe(user.id);
  });

  it("fails a wrong e-mail and a wrong password the same way", async () => {
    const user = await createUser(db.prisma);
    expect(await fail(db, "nobody@example.test")).toBe("INVALID_CREDENTIALS");
    expect(await fail(db, user.email)).toBe("INVALID_CREDENTIALS");
  });

  it("locks the account after 5 failures within 15 minutes, even for the right password", async () => {
    const user = await createUser(db.prisma);
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push(await fail(db, user.email));
    expect(codes).toEqual(["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "LOCKED"]);
    const locked = await authenticate(db.prisma, user.email, TEST_PASSWORD).catch((e: LoginError) => e);
    expect(locked).toBeInstanceOf(LoginError);
    expect((locked as LoginError).code).toBe("LOCKED");
    // After the lock expires the right password works again and resets the counter.
    const later = new Date(Date.now() + LOGIN_WINDOW_MS + 1000);
    expect((await authenticate(db.prisma, user.email, TEST_PASSWORD, later)).id).toBe(user.id);
  });

  it("counts parallel failures without losing any", async () => {
    const user = await createUser(db.prisma);
    await Promise.all(Array.from({ length: 5 }, () => fail(db, user.email)));
    const row = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.failedLoginCount).toBe(5);
    expect(row.loginLockedUntil).not.toBeNull();
  });

  it("does not lock another account", async () => {
    const a = await createUser(db.prisma);
    const b = await createUser(db.prisma);
    for (let i = 0; i < 5; i++) await fail(db, a.email);
    expect((await authenticate(db.prisma, b.email, TEST_PASSWORD)).id).toBe(b.id);
  });

  it("starts a new window once 15 minutes have passed since the first failure", () => {
    const t0 = new Date("2026-01-01T00:00:00Z");
    let c = { failedLoginCount: 0, failedLoginWindowAt: null as Date | null, loginLockedUntil: null as Date | null };
    for (let i = 0; i < 4; i++) c = afterFailure(c, t0);
    c = afterFailure(c, new Date(t0.getTime() + LOGIN_WINDOW_MS + 1));
    expect(c.failedLoginCount).toBe(1);
    expect(c.loginLockedUntil).toBeNull();
  });
});
