// Domain vocabulary shared by rules, services, DTOs and UI. Mirrors the Prisma enums without
// importing the generated client, so client components can use it too.
export const ENVIRONMENTS = ["sandbox", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const CHANNELS = ["REST", "HTTP", "FTP", "WEB_SERVICE", "EMAIL"] as const;
export type Channel = (typeof CHANNELS)[number];

export const KEY_STATUSES = ["ENABLED", "DISABLED", "REVOKED"] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];
/** What users see: the stored status, or Expired once expires-at has passed. */
export type DisplayStatus = KeyStatus | "EXPIRED";

export const PERMISSIONS = ["payments:read", "payments:write", "refunds:write", "customers:read", "webhooks:manage"] as const;

export const ROLES = ["OWNER", "ADMIN", "DEVELOPER", "VIEWER"] as const;
export type Role = (typeof ROLES)[number];

export const CHANNEL_LABELS: Record<Channel, string> = {
  REST: "REST",
  HTTP: "HTTP",
  FTP: "FTP",
  WEB_SERVICE: "Web Service",
  EMAIL: "Email",
};

export const ENVIRONMENT_LABELS: Record<Environment, string> = {
  sandbox: "Sandbox",
  production: "Production",
};

export const STATUS_LABELS: Record<DisplayStatus, string> = {
  ENABLED: "Enabled",
  DISABLED: "Disabled",
  REVOKED: "Revoked",
  EXPIRED: "Expired",
};

/** Returned once, to the dialog that shows the secret. */
export interface IssuedSecret {
  keyId: string;
  name: string;
  accessKey: string;
  secret: string;
  environment: Environment;
}
