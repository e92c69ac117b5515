import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createUser, TEST_PASSWORD } from "@/prisma/factories";
import { authenticate, type LoginError, LOGIN_WINDOW_MS } from "./login";
import { addressKey, purgeStaleLoginAttempts } from "./login-attempts";
import { verifyPassword } from "./password";

// Counts how many passwords are really evaluated (a hash computed), whatever the answers say.
vi.mock("./password", async (importOriginal) => {
  const real = await importOriginal<typeof import("./password")>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});
const evaluated = () => vi.mocked(verifyPassword).mock.calls.length;

const attempt = (db: Database, email: string, password: string, now?: Date) =>
  authenticate(db.prisma, email, password, now).then(
    () => "OK",
    (e: LoginError) => e.code,
  );
const fail = (db: Database, email: string, now?: Date) => attempt(db, email, "wrong password!", now);
const unknownAddress = () => `nobody-${Math.random().toString(36).slice(2)}@example.test`;

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
    expect(await fail(db, unknownAddress())).toBe("INVALID_CREDENTIALS");
    expect(await fail(db, user.email)).toBe("INVALID_CREDENTIALS");
  });

  it("locks the account after 5 failures within 15 minutes, even for the right password", async () => {
    const user = await createUser(db.prisma);
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push(await fail(db, user.email));
    expect(codes).toEqual(["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "LOCKED"]);
    expect(await attempt(db, user.email, TEST_PASSWORD)).toBe("LOCKED");
    // After the lock expires the right password works again and resets the counter.
    const later = new Date(Date.now() + LOGIN_WINDOW_MS + 1000);
    expect((await authenticate(db.prisma, user.email, TEST_PASSWORD, later)).id).toBe(user.id);
    expect(await fail(db, user.email, later)).toBe("INVALID_CREDENTIALS");
  });

  it("answers an unknown address exactly like an account, lock included", async () => {
    const user = await createUser(db.prisma);
    const real = [];
    const unknown = [];
    const nobody = unknownAddress();
    for (let i = 0; i < 6; i++) real.push(await fail(db, user.email));
    for (let i = 0; i < 6; i++) unknown.push(await fail(db, nobody));
    expect(real).toEqual(["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "LOCKED", "LOCKED"]);
    expect(unknown).toEqual(real);
  });

  it("evaluates at most 5 of 150 parallel attempts: the right password at position 110 does not sign in", async () => {
    const user = await createUser(db.prisma);
    const before = evaluated();
    const results = await Promise.all(
      Array.from({ length: 150 }, (_, i) => attempt(db, user.email, i === 109 ? TEST_PASSWORD : `guess ${i}`)),
    );
    const tries = evaluated() - before;
    console.info(`tries evaluated in a 150-way race: ${tries}`);
    expect(tries).toBeLessThanOrEqual(5);
    expect(results[109]).toBe("LOCKED");
    expect(results.filter((r) => r === "OK")).toEqual([]);
    expect(results.filter((r) => r === "INVALID_CREDENTIALS").length).toBe(4);
    expect(await attempt(db, user.email, TEST_PASSWORD)).toBe("LOCKED");
  });

  it("evaluates at most 5 of 150 parallel attempts on an unknown address too", async () => {
    const nobody = unknownAddress();
    const before = evaluated();
    const results = await Promise.all(Array.from({ length: 150 }, () => fail(db, nobody)));
    expect(evaluated() - before).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r === "INVALID_CREDENTIALS").length).toBe(4);
  });

  it("does not lock another account", async () => {
    const a = await createUser(db.prisma);
    const b = await createUser(db.prisma);
    for (let i = 0; i < 5; i++) await fail(db, a.email);
    expect((await authenticate(db.prisma, b.email, TEST_PASSWORD)).id).toBe(b.id);
  });

  it("starts a new window once 15 minutes have passed since the first failure", async () => {
    const user = await createUser(db.prisma);
    const t0 = new Date(Date.now() + 3600_000);
    for (let i = 0; i < 4; i++) expect(await fail(db, user.email, t0)).toBe("INVALID_CREDENTIALS");
    const next = new Date(t0.getTime() + LOGIN_WINDOW_MS + 1);
    for (let i = 0; i < 4; i++) expect(await fail(db, user.email, next)).toBe("INVALID_CREDENTIALS");
    expect((await authenticate(db.prisma, user.email, TEST_PASSWORD, next)).id).toBe(user.id);
  });

  it("forgets addresses whose window and lock are over", async () => {
    const nobody = unknownAddress();
    const t0 = new Date(Date.now() - 2 * LOGIN_WINDOW_MS);
    await fail(db, nobody, t0);
    const has = () => db.prisma.loginAttempt.count({ where: { emailHash: addressKey(nobody) } });
    expect(await has()).toBe(1);
    await purgeStaleLoginAttempts(db.prisma, new Date());
    expect(await has()).toBe(0);
  });
});
