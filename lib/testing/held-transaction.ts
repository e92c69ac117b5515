import type { Db, Tx } from "@/lib/db/client";

/**
 * Runs `work` in a transaction and keeps that transaction open after it: resolves once `work` is
 * done (its rows written, its locks and transaction id held), with `commit()`, which lets the
 * transaction end and resolves when it has.
 */
export async function holdTransaction(db: Db, work: (tx: Tx) => Promise<unknown>, timeout = 30_000) {
  let commit!: () => void;
  const gate = new Promise<void>((r) => (commit = r));
  let worked!: () => void;
  const inside = new Promise<void>((r) => (worked = r));
  const done = db.$transaction(
    async (tx) => {
      await work(tx);
      worked();
      await gate;
    },
    { timeout },
  );
  await Promise.race([inside, done]); // a failing `work` rejects here
  return { commit: () => (commit(), done) };
}
