// A stand-in for the app in the crash test (lib/db/crash.test.ts): it takes the data directory
// and starts its embedded PostgreSQL server exactly as the app does, does one piece of work, says
// where it is on stdout, and waits there to be killed with SIGKILL.
//   node --import tsx --import ./lib/server/register.mjs lib/testing/crash-child.ts <mode> <json>
import { appendFileSync } from "node:fs";
import { startAppDatabase } from "@/lib/db/engine";
import { inTransaction } from "@/lib/core/transaction";
import { rotateKey } from "@/lib/keys/services/rotate-key";
import { deliverDueMail, type Transport } from "@/lib/mail/worker";

const [mode, json] = process.argv.slice(2);
const args = JSON.parse(json ?? "{}");
const hang = () => new Promise(() => {});
const engine = await startAppDatabase(() => {});
const db = engine.database.prisma;
console.log(`started ${process.pid}`);

if (mode === "rotate-uncommitted") {
  // Every write of the rotation is done; the commit never comes.
  await inTransaction(db, async (tx) => {
    await rotateKey(tx, args.actor, args.keyId, { grace: "24h", version: args.version });
    console.log("in-transaction");
    await hang();
  });
} else if (mode === "rotate-committed") {
  await rotateKey(db, args.actor, args.keyId, { grace: "24h", version: args.version });
  console.log("committed");
} else if (mode === "deliver") {
  // The provider accepts the mail (recorded in a file), and the process dies before it can mark
  // the row as sent.
  const transport: Transport = {
    name: "crash-test",
    async send(mail) {
      appendFileSync(args.deliveries, `${mail.idempotencyKey}\n`);
      console.log("sent-one");
      await hang();
    },
  };
  await deliverDueMail(db, transport);
}
console.log("waiting");
await hang();
