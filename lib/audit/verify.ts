import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { type ChainBreak, type ChainedRow, type JsonValue, checkChain } from "./chain";

export interface ChainVerification {
  ok: boolean;
  /** Rows whose hash was checked and found right. */
  checked: number;
  /** The newest row's hash: what an auditor notes down to compare with later. */
  latest: { seq: number; hash: string; at: string } | null;
  broken: { id: string; seq: number; action: string; at: string; reason: ChainBreak | "unchained" } | null;
}

const BATCH = 500;

/**
 * Re-walks a merchant's audit chain from its first row, in batches (a cursor on seq), and names the
 * first row whose hash does not follow from its content and its predecessor's hash. Rows appended
 * while it walks are left for the next check: it stops at the newest row it saw first.
 */
export async function verifyAuditChain(db: Db | Tx, merchantId: string): Promise<ChainVerification> {
  const [newest, unchained] = await Promise.all([
    db.auditEvent.findFirst({
      where: { merchantId, seq: { not: null } },
      orderBy: { seq: "desc" },
      select: { seq: true, hash: true, createdAt: true },
    }),
    // Committed rows are always chained: one without a place was written around the trigger.
    db.auditEvent.findFirst({ where: { merchantId, OR: [{ seq: null }, { hash: null }] }, orderBy: { createdAt: "asc" } }),
  ]);
  const latest = newest?.seq && newest.hash ? { seq: newest.seq, hash: newest.hash, at: newest.createdAt.toISOString() } : null;
  if (unchained)
    return {
      ok: false,
      checked: 0,
      latest,
      broken: {
        id: unchained.id,
        seq: unchained.seq ?? 0,
        action: unchained.action,
        at: unchained.createdAt.toISOString(),
        reason: "unchained",
      },
    };
  let state = { previous: undefined as string | undefined, seq: 0 };
  let checked = 0;
  while (latest && state.seq < latest.seq) {
    const rows = await db.auditEvent.findMany({
      where: { merchantId, seq: { gt: state.seq, lte: latest.seq } },
      orderBy: { seq: "asc" },
      take: BATCH,
    });
    if (!rows.length) break;
    const result = checkChain(
      rows.map(
        (r) =>
          ({
            ...r,
            seq: r.seq ?? 0,
            hash: r.hash ?? "",
            before: r.before as JsonValue,
            after: r.after as JsonValue,
          }) satisfies ChainedRow & { hash: string },
      ),
      state.previous === undefined ? undefined : { previous: state.previous, seq: state.seq },
    );
    checked += result.seq - state.seq;
    if (result.broken) {
      const { row, reason } = result.broken;
      return {
        ok: false,
        checked,
        latest,
        broken: { id: row.id, seq: row.seq, action: row.action, at: row.createdAt.toISOString(), reason },
      };
    }
    state = { previous: result.previous, seq: result.seq };
  }
  return { ok: true, checked, latest, broken: null };
}
