import { parseCidr, type Cidr } from "@/lib/keys/ip";
import { CHANNELS, ENVIRONMENTS, KEY_STATUSES } from "@/lib/keys/types";
import { type SqlTarget, sqlRows } from "./sql";
import type { KeyState } from "./types";

interface Row {
  credential_id: string;
  slot: "CURRENT" | "PREVIOUS";
  cred_expires: Date | null;
  key_id: string;
  merchant_id: string;
  environment: KeyState["environment"];
  channel: KeyState["channel"];
  status: KeyState["status"];
  permissions: string[];
  ip_allow_list: string[];
  channel_ip_allow_list: string[] | null;
  expires_at: Date;
  secret_hash: string;
}

const cidrs = (list: string[] | null) => (list ?? []).map((s) => parseCidr(s)).filter((c): c is Cidr => !!c);

/**
 * One copy of each value that many cached keys share (the driver makes a new string per row): the
 * enum words, merchant ids and permission lists. A verifier caching 100,000 keys keeps about 300
 * bytes less per key. Bounded: past the bound a value is simply not shared.
 */
const WORDS = new Map<string, string>([...ENVIRONMENTS, ...CHANNELS, ...KEY_STATUSES, "CURRENT", "PREVIOUS"].map((w) => [w, w]));
const shared = new Map<string, string>();
const sharedLists = new Map<string, readonly string[]>();
const SHARED_MAX = 50_000;
const word = <T extends string>(w: T): T => (WORDS.get(w) as T | undefined) ?? w;
function share(s: string): string {
  const had = shared.get(s);
  if (had !== undefined) return had;
  if (shared.size < SHARED_MAX) shared.set(s, s);
  return s;
}
function shareList(list: string[] | null): string[] {
  if (!list?.length) return EMPTY;
  const id = list.join("\n");
  const had = sharedLists.get(id);
  if (had) return had as string[];
  const mine = Object.freeze(list.map(share));
  if (sharedLists.size < SHARED_MAX) sharedLists.set(id, mine);
  return mine as string[];
}
const EMPTY = Object.freeze([]) as unknown as string[];

const toState = (r: Row, custom = false): KeyState => ({
  keyId: r.key_id,
  merchantId: share(r.merchant_id),
  environment: word(r.environment),
  channel: word(r.channel),
  status: word(r.status),
  permissions: shareList(r.permissions),
  ipAllowList: r.ip_allow_list?.length ? cidrs(r.ip_allow_list) : (EMPTY as unknown as Cidr[]),
  // Left out when empty, so the hot path skips the second check for the usual key.
  ...(r.channel_ip_allow_list?.length ? { channelIpAllowList: cidrs(r.channel_ip_allow_list) } : {}),
  expiresAt: r.expires_at.getTime(),
  credentialId: r.credential_id,
  slot: word(r.slot),
  credentialExpiresAt: r.cred_expires ? r.cred_expires.getTime() : null,
  ...(custom ? { customHash: r.secret_hash } : {}),
});

const SELECT_STATE = `
  SELECT c.id AS credential_id, c.slot, c.expires_at AS cred_expires, c.secret_hash,
         k.id AS key_id, k.merchant_id, k.environment, k.channel, k.status, k.permissions, k.ip_allow_list, k.expires_at,
         cs.ip_allow_list AS channel_ip_allow_list
  FROM credentials c JOIN api_keys k ON k.id = c.api_key_id
  LEFT JOIN channel_settings cs ON cs.merchant_id = k.merchant_id AND cs.channel = k.channel`;

/** One indexed lookup by the unique secret hash. */
export async function loadBySecretHash(db: SqlTarget, hash: string): Promise<KeyState | null> {
  const rows = await sqlRows<Row>(db, `${SELECT_STATE} WHERE c.secret_hash = $1 AND c.kind = 'GENERATED'`, [hash]);
  return rows[0] ? toState(rows[0]) : null;
}

/** User-chosen credentials: found by their public access key (the Basic-auth user name). */
export async function loadByAccessKey(db: SqlTarget, accessKey: string): Promise<KeyState | null> {
  const rows = await sqlRows<Row>(db, `${SELECT_STATE} WHERE c.access_key = $1 AND c.kind = 'USER_CHOSEN'`, [accessKey]);
  return rows[0] ? toState(rows[0], true) : null;
}

/**
 * Generated credentials used since `since`, most recent first, with their secret hashes (the
 * cache's keys): what a verifier reads at start so that its first traffic is answered from memory.
 */
export async function loadRecentlyUsed(db: SqlTarget, since: Date, limit: number): Promise<{ hash: string; state: KeyState }[]> {
  const rows = await sqlRows<Row>(
    db,
    `${SELECT_STATE} WHERE c.kind = 'GENERATED' AND c.last_used_at > $1 ORDER BY c.last_used_at DESC LIMIT $2`,
    [since, limit],
  );
  return rows.map((r) => ({ hash: r.secret_hash, state: toState(r) }));
}
