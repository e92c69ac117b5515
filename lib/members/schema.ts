import { z } from "zod";
import { ROLES } from "@/lib/keys/types";
import { CONTROL_CHARS, plainText } from "@/lib/keys/schema";

/**
 * An e-mail address as people type it, normalised: trimmed, lower-case, printable ASCII only, so
 * a look-alike such as "оwner@acme.test" (Cyrillic о) is refused instead of inviting a stranger.
 */
export const emailField = z
  .string({ error: "Enter an e-mail address." })
  .trim()
  .max(254, { error: "An e-mail address has at most 254 characters." })
  .refine((s) => /^[\x21-\x7e]+$/.test(s), { error: "Use plain letters, digits and symbols in the e-mail address." })
  .pipe(z.email({ error: "Enter a valid e-mail address." }))
  .transform((s) => s.toLowerCase());

export const roleField = z.enum(ROLES, { error: "Choose a role." });
const id = z.string().max(64);

export const inviteSchema = z.strictObject({ email: emailField, role: roleField });
export const changeRoleSchema = z.strictObject({ membershipId: id, role: roleField });
export const removeMemberSchema = z.strictObject({ membershipId: id, confirmed: z.literal(true, { error: "Tick the confirmation box." }) });
export const revokeInvitationSchema = z.strictObject({ invitationId: id });
export const subAccountSchema = z.strictObject({
  name: z
    .string({ error: "Enter a name." })
    .trim()
    .min(2, { error: "Use at least 2 characters." })
    .max(120, { error: "Use at most 120 characters." })
    .refine((s) => !CONTROL_CHARS.test(s), plainText),
});
export const newAccountSchema = z.strictObject({
  name: z
    .string({ error: "Enter your name." })
    .trim()
    .min(1, { error: "Enter your name." })
    .max(120, { error: "Use at most 120 characters." })
    .refine((s) => !CONTROL_CHARS.test(s), plainText),
  password: z
    .string({ error: "Choose a password." })
    .min(12, { error: "Use at least 12 characters." })
    .max(200, { error: "Use at most 200 characters." })
    .refine((s) => !s.includes("\u0000"), plainText),
});
