// Owners for the tests that act as "the owner". Every owner step-up spends a 30-second time step
// of the user's authenticator, and a user has at most three unspent ones at a time, so tests that
// all acted as the demo owner queued for its next step behind each other. Global setup makes a
// pool of owners of the demo merchants instead (the demo owner's password and authenticator seed,
// their own step ledger), signs each in once, and every test leases the least recently used one.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dbQuery } from "./db";
import { withLock } from "./otp";

export const POOL_SIZE = 6;
export const poolOwner = (i: number) => `qa-owner-${i}@acme.test`;
const harnessDir = () => join(process.env.KEYPORT_E2E_DATA_DIR!, "otp");
export const poolState = (email: string) => join(harnessDir(), `state-${email}.json`);

type Pool = Record<string, { leased: boolean; releasedAt: number }>;
const poolFile = () => join(harnessDir(), "owner-pool.json");
const readPool = (): Pool => (existsSync(poolFile()) ? JSON.parse(readFileSync(poolFile(), "utf8")) : {});

/** Makes the pool's owners in the database: each a copy of the demo owner's memberships, password and seed. */
export async function createPool() {
  for (let i = 1; i <= POOL_SIZE; i++) {
    const email = poolOwner(i);
    await dbQuery(
      `WITH demo AS (SELECT id, password_hash FROM users WHERE email = 'owner@acme.test'),
       u AS (INSERT INTO users (id, email, name, password_hash, updated_at)
             SELECT gen_random_uuid(), $1, $2, password_hash, now() FROM demo RETURNING id),
       m AS (INSERT INTO memberships (id, user_id, merchant_id, role)
             SELECT gen_random_uuid(), u.id, ms.merchant_id, ms.role FROM u, memberships ms, demo WHERE ms.user_id = demo.id)
       INSERT INTO totp_enrollments (user_id, secret_enc, confirmed_at)
       SELECT u.id, t.secret_enc, now() FROM u, totp_enrollments t, demo WHERE t.user_id = demo.id`,
      [email, `QA owner ${i}`],
    );
  }
  mkdirSync(harnessDir(), { recursive: true });
  writeFileSync(
    poolFile(),
    JSON.stringify(Object.fromEntries(Array.from({ length: POOL_SIZE }, (_, i) => [poolOwner(i + 1), { leased: false, releasedAt: 0 }]))),
  );
}

/** The pool's owner that has rested longest; no other test holds it until it is released. */
export async function leaseOwner(): Promise<string> {
  return withLock("owner-pool", async () => {
    const pool = readPool();
    const free = Object.entries(pool)
      .filter(([, o]) => !o.leased)
      .sort(([, a], [, b]) => a.releasedAt - b.releasedAt)[0];
    if (!free) throw new Error("every owner of the pool is leased: one was not released");
    const [email] = free;
    pool[email].leased = true;
    writeFileSync(poolFile(), JSON.stringify(pool));
    return email;
  });
}

export async function releaseOwner(email: string) {
  await withLock("owner-pool", async () => {
    const pool = readPool();
    if (!(email in pool)) throw new Error(`${email} is not an owner of the pool`);
    pool[email] = { leased: false, releasedAt: Date.now() };
    writeFileSync(poolFile(), JSON.stringify(pool));
  });
}

export const demoOwnerState = () => join(process.env.KEYPORT_E2E_DATA_DIR!, "owner-state.json");
