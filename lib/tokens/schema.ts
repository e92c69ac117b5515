import { z } from "zod";
import { nameField } from "@/lib/keys/schema";
import { TOKEN_SCOPES } from "./scopes";

/** The lifetimes the page offers; "never" means no expiry. */
export const TOKEN_EXPIRY_OPTIONS = [
  { value: "30d", label: "30 days", days: 30 },
  { value: "90d", label: "90 days", days: 90 },
  { value: "365d", label: "1 year", days: 365 },
  { value: "never", label: "No expiry", days: null },
] as const;
export type TokenExpiry = (typeof TOKEN_EXPIRY_OPTIONS)[number]["value"];

export const createTokenSchema = z.strictObject({
  name: nameField.pipe(z.string().max(60, "Use at most 60 characters.")),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, "Choose at least one scope.").max(TOKEN_SCOPES.length),
  expiry: z.enum(TOKEN_EXPIRY_OPTIONS.map((o) => o.value) as [TokenExpiry, ...TokenExpiry[]], { error: "Choose when the token expires." }),
  otp: z.string().max(20).optional(),
});

export const revokeTokenSchema = z.strictObject({ tokenId: z.uuid("This token does not exist.") });

export function expiryDate(expiry: TokenExpiry, now: Date): Date | null {
  const days = TOKEN_EXPIRY_OPTIONS.find((o) => o.value === expiry)?.days;
  return days ? new Date(now.getTime() + days * 86_400_000) : null;
}
