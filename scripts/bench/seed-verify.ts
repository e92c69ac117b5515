// Seeds N keys (default 100,000) for bench:verify and writes a sample of their plaintext secrets
// (and a set of unknown well-formed ones) to the JSON file named by argv[3].
import { writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { closeDatabase, getDb } from "@/lib/db/client";
import { generateAccessKey, generateSecret, hashSecret, secretHint } from "@/lib/keys/secret";

const count = Number(process.argv[2] ?? 100_000);
const out = process.argv[3];
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 2000);
const db = await getDb();
const merchant = await db.merchant.create({ data: { name: "Bench verify", slug: `bench-verify-${Date.now()}` } });
const sample: string[] = [];
const started = Date.now();
for (let start = 0; start < count; start += 2000) {
  const keys = [];
  const creds = [];
  for (let i = start; i < Math.min(count, start + 2000); i++) {
    const id = randomUUID();
    const secret = generateSecret("production");
    if (sample.length < SAMPLE && i % Math.max(1, Math.floor(count / SAMPLE)) === 0) sample.push(secret);
    keys.push({
      id,
      merchantId: merchant.id,
      name: `Verify ${i}`,
      environment: "production" as const,
      channel: "REST" as const,
      permissions: ["payments:read"],
      ipAllowList: [],
      expiresAt: new Date(Date.now() + 365 * 86_400_000),
    });
    creds.push({
      apiKeyId: id,
      accessKey: generateAccessKey("production"),
      secretHash: hashSecret(secret),
      secretHint: secretHint(secret),
    });
  }
  await db.apiKey.createMany({ data: keys });
  await db.credential.createMany({ data: creds });
}
const unknown = Array.from({ length: SAMPLE }, () => generateSecret("production"));
writeFileSync(out, JSON.stringify({ valid: sample, unknown }));
console.log(`seeded ${count} keys in ${((Date.now() - started) / 1000).toFixed(1)} s`);
await closeDatabase();
