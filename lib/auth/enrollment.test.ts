import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createUser, TEST_PASSWORD } from "@/prisma/factories";
import { AppError } from "@/lib/core/errors";
import { confirmEnrollment, startEnrollment } from "./enrollment";
import { totpAt } from "./totp";
import { hasTotp } from "./step-up";

describe("binding an authenticator app", () => {
  let db: Database;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db?.close());
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => "OK",
      (e) => (e instanceof AppError ? `${e.code}: ${e.fieldErrors?.password}` : `UNEXPECTED ${e}`),
    );

  it("needs the password again: a session alone cannot enrol one", async () => {
    const user = await createUser(db.prisma);
    expect(await refusal(startEnrollment(db.prisma, user, ""))).toMatch(/^VALIDATION: That password is not right/);
    expect(await refusal(startEnrollment(db.prisma, user, "not my password"))).toMatch(/^VALIDATION: That password is not right/);
    expect(await db.prisma.totpEnrollment.count({ where: { userId: user.id } })).toBe(0);
    const { secret } = await startEnrollment(db.prisma, user, TEST_PASSWORD);
    await confirmEnrollment(db.prisma, user.id, await totpAt(secret, new Date()));
    expect(await hasTotp(db.prisma, user.id)).toBe(true);
  });

  it("counts wrong passwords like sign-in attempts, and locks after five", async () => {
    const user = await createUser(db.prisma);
    for (let i = 0; i < 4; i++) expect(await refusal(startEnrollment(db.prisma, user, `guess ${i}`))).toMatch(/not right/);
    expect(await refusal(startEnrollment(db.prisma, user, "guess 5"))).toMatch(/Too many failed sign-in attempts/);
    expect(await refusal(startEnrollment(db.prisma, user, TEST_PASSWORD))).toMatch(/Too many failed sign-in attempts/);
  });

  it("does not accept another account's password", async () => {
    const user = await createUser(db.prisma);
    const other = await createUser(db.prisma, { password: "another long passphrase 42" });
    expect(await refusal(startEnrollment(db.prisma, { id: user.id, email: other.email }, "another long passphrase 42"))).toMatch(
      /not right/,
    );
  });
});
