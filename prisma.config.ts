import { defineConfig } from "prisma/config";

// The datasource URL is only needed by `prisma migrate` on machines that have the schema engine;
// the app itself connects through driver adapters (lib/db/client.ts).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/keyport" },
});
