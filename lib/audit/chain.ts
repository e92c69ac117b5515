// The audit log's hash chain, as pure functions for verifying it. PostgreSQL writes the chain (a
// trigger as each audited transaction commits, and the backfill of older rows, both in the
// migration 20261201110000_audit_chain) from the same canonical form, so both must agree byte
// for byte. The canonical row is PostgreSQL's own text form of a jsonb array of the row's
// fields, which this file reproduces: keys ordered by length then bytes, ", " and ": " between
// items, and jsonb's string escapes.
import { createHash } from "node:crypto";

/** The "previous hash" of a merchant's first row. */
export const GENESIS_HASH = "0".repeat(64);
/** Names the canonical form, so a later change of it can be told apart. */
export const CHAIN_VERSION = "keyport.audit.v1";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The fields of a row the hash covers: every column but the hash itself. */
export interface ChainedRow {
  seq: number;
  id: string;
  merchantId: string;
  apiKeyId: string | null;
  actorId: string | null;
  actorEmail: string;
  action: string;
  clientIp: string | null;
  before: JsonValue;
  after: JsonValue;
  createdAt: Date;
}

const ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** jsonb's string escapes (escape_json): the named ones, other control characters as \u00xx. */
function jsonbString(s: string): string {
  return `"${s.replace(/["\\\u0000-\u001f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

/** A number as jsonb (numeric) prints it: plain digits, never an exponent. */
function jsonbNumber(n: number): string {
  if (!Number.isFinite(n)) return "null";
  const s = String(n);
  if (!/e/i.test(s)) return s;
  const [mantissa, exp] = s.split(/e/i);
  const negative = mantissa.startsWith("-");
  const [int, frac = ""] = mantissa.replace("-", "").split(".");
  const digits = int + frac;
  const point = int.length + Number(exp);
  const out =
    point <= 0
      ? `0.${"0".repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + "0".repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

/** jsonb orders object keys by byte length, then bytewise. */
const compareKeys = (a: string, b: string) => {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length - y.length || Buffer.compare(x, y);
};

/** The text PostgreSQL prints for a jsonb value (`value::jsonb::text`). */
export function jsonbText(value: JsonValue): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return jsonbNumber(value);
  if (typeof value === "string") return jsonbString(value);
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(", ")}]`;
  const keys = Object.keys(value).sort(compareKeys);
  return `{${keys.map((k) => `${jsonbString(k)}: ${jsonbText(value[k])}`).join(", ")}}`;
}

/** What a JSON column will hold of a value: undefined dropped, dates as ISO strings (JSON.stringify's rules). */
export const toJsonValue = (v: unknown): JsonValue => (v === undefined || v === null ? null : JSON.parse(JSON.stringify(v)));

/** The canonical text of a row. The migration's SQL builds the same array with jsonb_build_array. */
export function canonicalRow(r: ChainedRow): string {
  return jsonbText([
    CHAIN_VERSION,
    r.seq,
    r.id,
    r.merchantId,
    r.apiKeyId,
    r.actorId,
    r.actorEmail,
    r.action,
    r.clientIp,
    r.before,
    r.after,
    r.createdAt.toISOString(),
  ]);
}

/** hash = SHA-256(previous hash ‖ canonical row), hex. */
export const chainHash = (previousHash: string, row: ChainedRow) =>
  createHash("sha256")
    .update(previousHash + canonicalRow(row), "utf8")
    .digest("hex");

export type ChainBreak = "changed" | "missing-before" | "out-of-order";

/**
 * Walks rows in chain order (seq ascending, from the first) and returns where the chain first
 * breaks: a row whose stored hash is not the one its content and its predecessor give.
 */
export function checkChain(
  rows: Iterable<ChainedRow & { hash: string }>,
  from = { previous: GENESIS_HASH, seq: 0 },
): { broken: { row: ChainedRow & { hash: string }; reason: ChainBreak } | null; previous: string; seq: number } {
  let { previous, seq } = from;
  for (const row of rows) {
    if (row.seq !== seq + 1) return { broken: { row, reason: row.seq > seq + 1 ? "missing-before" : "out-of-order" }, previous, seq };
    if (chainHash(previous, row) !== row.hash) return { broken: { row, reason: "changed" }, previous, seq };
    previous = row.hash;
    seq = row.seq;
  }
  return { broken: null, previous, seq };
}
