import type { Cidr } from "@/lib/keys/ip";
import type { Channel, Environment, KeyStatus } from "@/lib/keys/types";

export const OUTCOMES = [
  "VALID",
  "NOT_FOUND",
  "DISABLED",
  "REVOKED",
  "EXPIRED",
  "IP_NOT_ALLOWED",
  "INSUFFICIENT_PERMISSIONS",
  "RATE_LIMITED",
  "MALFORMED",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What the hot path needs about one credential and its key: cached by secret hash. */
export interface KeyState {
  keyId: string;
  merchantId: string;
  environment: Environment;
  channel: Channel;
  status: KeyStatus;
  permissions: string[];
  ipAllowList: Cidr[];
  /** The channel-wide "IP Whitelist" of the key's account, when one is set: both lists must match. */
  channelIpAllowList?: Cidr[];
  expiresAt: number; // ms
  credentialId: string;
  slot: "CURRENT" | "PREVIOUS";
  /** End of a previous credential's grace window (ms); null for the current one. */
  credentialExpiresAt: number | null;
  /** For user-chosen credentials: the Argon2id (or legacy scrypt) hash to check the password against. */
  customHash?: string;
  /** A Basic-auth pair naming this credential with a wrong password: a failure of this key, never a pass. */
  wrongPassword?: true;
}

export interface VerifyResponse {
  valid: boolean;
  outcome: Outcome;
  keyId: string | null;
  merchantId: string | null;
  environment: Environment | null;
  channel: Channel | null;
  permissions: string[];
  expiresAt: string | null;
  rotation?: { previousExpiresAt: string };
}
