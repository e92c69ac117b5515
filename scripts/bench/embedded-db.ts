// For the benchmarks: runs the embedded PostgreSQL server of KEYPORT_DATA_DIR (as the app would,
// URL file included, so every process of the run finds it) until SIGTERM. Prints "ready" when
// it accepts connections.
//   node --import tsx scripts/bench/embedded-db.ts
import { startAppDatabase } from "@/lib/db/engine";

const engine = await startAppDatabase(() => {});
console.log(`ready ${engine.where}`);
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, async () => {
    await engine.shutdown();
    process.exit(0);
  });
}
setInterval(() => {}, 1 << 30);
