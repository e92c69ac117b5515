// Mail templates and their props: shared by the outbox (which stores props) and emails/.
export const KEY_MAIL_TEMPLATES = [
  "key-rotated",
  "key-rolled-back",
  "key-regenerated",
  "key-revoked",
  "key-deleted",
  "grace-extended",
  "previous-expired",
  "key-expiring",
  "previous-revoked",
  "keys-rotated",
  "keys-rolled-back",
  "credentials-changed",
] as const;
export type KeyMailTemplate = (typeof KEY_MAIL_TEMPLATES)[number];

export interface KeyMailProps {
  merchantName: string;
  keyName: string;
  environment: "sandbox" | "production";
  /** Who did it; null for the system (sweep, reminders). */
  actor: string | null;
  /** When it happened, ISO. */
  at: string;
  /** When the previous key stops (stopped) working, ISO; null when it stopped at once. */
  previousExpiresAt?: string | null;
  /** The key's own expiry, for reminders. */
  expiresAt?: string;
  daysLeft?: number;
  keysCount?: number;
  detailsUrl?: string;
  /** A bulk rotation's keys, in one mail per member. */
  keys?: { name: string; previousExpiresAt: string | null }[];
}

export const SUBJECTS: Record<KeyMailTemplate, (p: KeyMailProps) => string> = {
  "key-rotated": (p) => `API key rotated: ${p.keyName} (${p.environment})`,
  "key-rolled-back": (p) => `Rotation rolled back: ${p.keyName} (${p.environment})`,
  "key-regenerated": (p) => `API key regenerated: ${p.keyName} (${p.environment})`,
  "key-revoked": (p) => `API key revoked: ${p.keyName} (${p.environment})`,
  "key-deleted": (p) => `API key deleted: ${p.keyName} (${p.environment})`,
  "grace-extended": (p) => `Grace window extended: ${p.keyName} (${p.environment})`,
  "previous-expired": (p) => `Previous key stopped working: ${p.keyName} (${p.environment})`,
  "key-expiring": (p) => `API key expires in ${p.daysLeft} days: ${p.keyName} (${p.environment})`,
  "previous-revoked": (p) => `Previous key revoked: ${p.keyName} (${p.environment})`,
  "keys-rotated": (p) => `API keys rotated: ${p.keyName} of ${p.merchantName} (${p.environment})`,
  "credentials-changed": (p) => `Credentials changed: ${p.keyName} (${p.environment})`,
  "keys-rolled-back": (p) => `API keys rolled back: ${p.keyName} of ${p.merchantName} (${p.environment})`,
};

/** Mail about people rather than keys. */
export interface InvitationMailProps {
  merchantName: string;
  role: string;
  inviter: string;
  acceptUrl: string;
  expiresAt: string;
}
/** An endpoint switched off after failing for 3 days in a row, mailed to the merchant's owners. */
export interface WebhookDisabledMailProps {
  merchantName: string;
  url: string;
  environment: "sandbox" | "production";
  failingSince: string;
  /** When it was disabled, ISO. */
  at: string;
  lastError?: string | null;
  detailsUrl?: string;
}
export const WEBHOOK_DISABLED_SUBJECT = (p: WebhookDisabledMailProps) =>
  `Webhook endpoint disabled after 3 days of failures (${p.merchantName})`;
export const INVITATION_SUBJECT = (p: InvitationMailProps) => `You are invited to ${p.merchantName} on Keyport`;

/** Wrong passwords from many addresses for a user-chosen credential: mailed to owners, at most once an hour per credential. */
export interface GuessingMailProps {
  merchantName: string;
  keyName: string;
  environment: "sandbox" | "production";
  accessKey: string;
  /** Wrong passwords, and distinct client addresses (IPv6 by /64), since `since`. */
  failures: number;
  addresses: number;
  since: string;
  at: string;
  detailsUrl?: string;
}
export const GUESSING_SUBJECT = (p: GuessingMailProps) => `Password guessing on API key ${p.keyName} (${p.environment})`;

/** A key reported as leaked (lib/leaks): to the merchant's owners. */
export interface ExposureMailProps {
  merchantName: string;
  keyName: string;
  environment: "sandbox" | "production";
  accessKey: string;
  /** Where the secret was found, and who found it ("GitHub secret scanning"). */
  url: string;
  source: string;
  reporter: string;
  action: "ALERT" | "ROTATE" | "REVOKE";
  graceHours: number;
  at: string;
  detailsUrl?: string;
}
export const EXPOSURE_SUBJECT = (p: ExposureMailProps) => `API key ${p.keyName} (${p.environment}) was found exposed`;

/** A change to how someone confirms who they are: a passkey added or removed (to the user), the passkey policy (to the owners). */
export interface SecurityMailProps {
  event: "passkey-added" | "passkey-removed" | "passkey-policy-on" | "passkey-policy-off";
  /** The passkey's name, or the merchant's for the policy. */
  subject: string;
  actor: string;
  at: string;
}
export const SECURITY_SUBJECT: Record<SecurityMailProps["event"], (p: SecurityMailProps) => string> = {
  "passkey-added": (p) => `A passkey was added to your account: ${p.subject}`,
  "passkey-removed": (p) => `A passkey was removed from your account: ${p.subject}`,
  "passkey-policy-on": (p) => `${p.subject} now requires a passkey for step-up`,
  "passkey-policy-off": (p) => `${p.subject} accepts authenticator codes for step-up again`,
};
