// Seeds a merchant with N keys (default 10,000) into the database named by the environment
// (KEYPORT_DATA_DIR or DATABASE_URL), owned by owner@acme.test; one merchant per count given
// (`seed-grid.ts 10000 100000`). Prints the merchants' ids, one per line, in the counts' order.
import { startAppDatabase } from "@/lib/db/engine";
import { seedDemo } from "@/prisma/seed";
import { generateAccessKey, hashSecret, randomBase62 } from "@/lib/keys/secret";
import { CHANNELS, ENVIRONMENTS, PERMISSIONS } from "@/lib/keys/types";
import { randomUUID } from "node:crypto";

const counts = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [10_000];
// Seeded before the app starts, so this process starts (and then stops) the embedded server.
const engine = await startAppDatabase(() => {});
const db = engine.database.prisma;
await seedDemo(db);
const owner = await db.user.findUniqueOrThrow({ where: { email: "owner@acme.test" } });
// The benchmark signs in as the admin: the owner's sign-in asks for an authenticator code.
const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@acme.test" } });
for (const count of counts) {
  const merchant = await db.merchant.create({ data: { name: `Bench ${count}`, slug: `bench-${count}-${Date.now()}` } });
  await db.membership.create({ data: { userId: owner.id, merchantId: merchant.id, role: "OWNER" } });
  await db.membership.create({ data: { userId: admin.id, merchantId: merchant.id, role: "ADMIN" } });
  const now = Date.now();
  for (let start = 0; start < count; start += 1000) {
    const keys = [];
    const creds = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const id = randomUUID();
      const environment = ENVIRONMENTS[i % 2];
      const createdAt = new Date(now - i * 60_000);
      keys.push({
        id,
        merchantId: merchant.id,
        name: `Bench key ${String(i).padStart(5, "0")}`,
        environment,
        channel: CHANNELS[i % CHANNELS.length],
        status: (["ENABLED", "ENABLED", "ENABLED", "DISABLED", "REVOKED"] as const)[i % 5],
        permissions: [PERMISSIONS[i % PERMISSIONS.length]],
        ipAllowList: [],
        createdAt,
        updatedAt: createdAt,
        expiresAt: new Date(createdAt.getTime() + 365 * 86_400_000),
        createdById: owner.id,
      });
      const secret = `bench-${randomBase62(32)}`;
      creds.push({
        apiKeyId: id,
        accessKey: generateAccessKey(environment),
        secretHash: hashSecret(secret),
        secretHint: "kp_…bench",
        createdAt,
      });
    }
    await db.apiKey.createMany({ data: keys });
    await db.credential.createMany({ data: creds });
  }
  console.log(merchant.id);
}
await engine.shutdown();
