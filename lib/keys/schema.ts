import { z } from "zod";
import { CHANNELS, ENVIRONMENTS, PERMISSIONS, type Channel } from "./types";
import { IP_ENTRY_ERROR, parseCidr } from "./ip";
import { isWeakPassword } from "./password-strength";
import { GRACE_OPTIONS, type GraceOption } from "./rotation";

// One schema module for API keys: forms use it through zodResolver, server actions parse with it.

/** Channels whose integrations may log in with a username and password of their own. */
export const CUSTOM_CREDENTIAL_CHANNELS: readonly Channel[] = ["HTTP", "FTP", "WEB_SERVICE", "EMAIL"];
export const MAX_IP_ENTRIES = 100;

const splitList = (v: unknown) => (Array.isArray(v) ? v : String(v ?? "").split(/[\s,]+/)).map((s) => String(s).trim()).filter(Boolean);

/** Accepts a textarea's text (one entry per line or comma-separated) or an array; stores canonical CIDR text. */
export const ipAllowListField = z
  .union([z.string().max(10_000), z.array(z.string().max(100)).max(MAX_IP_ENTRIES * 2)])
  .transform(splitList)
  .superRefine((list, ctx) => {
    if (list.length > MAX_IP_ENTRIES) ctx.addIssue({ code: "custom", message: `At most ${MAX_IP_ENTRIES} entries.` });
    const bad = list.find((e) => !parseCidr(e));
    if (bad !== undefined) ctx.addIssue({ code: "custom", message: IP_ENTRY_ERROR(bad) });
  })
  .transform((list) => [...new Set(list.map((e) => parseCidr(e)?.text ?? e))]);

/** Control characters (NUL above all, which PostgreSQL text cannot hold) are refused, not stored. */
export const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
export const plainText = { error: "Remove control characters." };
export const nameField = z
  .string()
  .trim()
  .min(1, "Enter a name.")
  .max(100, "Use at most 100 characters.")
  .refine((s) => !CONTROL_CHARS.test(s) && !/[\r\n\t]/.test(s), plainText);
export const descriptionField = z
  .string()
  .trim()
  .max(500, "Use at most 500 characters.")
  .refine((s) => !CONTROL_CHARS.test(s), plainText);
export const versionField = z.coerce.number().int().min(0);

export const keyFields = z.object({
  name: nameField,
  description: descriptionField.default(""),
  environment: z.enum(ENVIRONMENTS, { error: "Choose an environment." }),
  channel: z.enum(CHANNELS, { error: "Choose a channel." }),
  permissions: z.array(z.enum(PERMISSIONS)).min(1, "Choose at least one permission.").max(PERMISSIONS.length),
  ipAllowList: ipAllowListField.default([]),
  credentialType: z.enum(["generated", "custom"]).default("generated"),
  username: z.string().trim().max(64).optional(),
  password: z
    .string()
    .max(200)
    .refine((s) => !s.includes("\u0000"), plainText)
    .optional(),
});

export const USERNAME_RE = /^[A-Za-z0-9._-]{3,64}$/;
export const MIN_PASSWORD_LENGTH = 12;

/** Create (and duplicate's presets): own credentials only on the channels that allow them. */
export const createKeySchema = keyFields.strict().superRefine((v, ctx) => {
  if (v.credentialType !== "custom") return;
  if (!CUSTOM_CREDENTIAL_CHANNELS.includes(v.channel)) {
    ctx.addIssue({ code: "custom", path: ["credentialType"], message: "REST keys always use generated credentials." });
    return;
  }
  checkOwnCredentials(v, ctx);
});

/** A user-chosen username and password: the same rules at creation and at rotation. */
function checkOwnCredentials(v: { username?: string; password?: string }, ctx: z.RefinementCtx) {
  if (!v.username || !USERNAME_RE.test(v.username)) {
    ctx.addIssue({ code: "custom", path: ["username"], message: "Use 3–64 letters, digits, dots, dashes or underscores." });
  }
  const pw = v.password ?? "";
  if (pw.length < MIN_PASSWORD_LENGTH) {
    ctx.addIssue({ code: "custom", path: ["password"], message: `Use at least ${MIN_PASSWORD_LENGTH} characters.` });
  } else if (isWeakPassword(pw, [v.username ?? ""]) || (v.username && pw.toLowerCase().includes(v.username.toLowerCase()))) {
    ctx.addIssue({ code: "custom", path: ["password"], message: "This password is too easy to guess. Choose another." });
  }
}

/** Rotating a key with own credentials: new ones, or (absent) a generated pair the owner chose. */
export const ownCredentialsSchema = z
  .strictObject({
    username: z.string().trim().max(64),
    password: z
      .string()
      .max(200)
      .refine((s) => !s.includes("\u0000"), plainText),
  })
  .superRefine(checkOwnCredentials);
export type CreateKeyInput = z.input<typeof createKeySchema>;
export type CreateKeyValues = z.output<typeof createKeySchema>;

// Edits never carry permissions, environment or channel: strict() rejects them outright.
export const editKeySchema = z.strictObject({ name: nameField, description: descriptionField, version: versionField });

export const ipAllowListSchema = z.strictObject({ ipAllowList: ipAllowListField, version: versionField });

/** The channel-wide "IP Whitelist" of an account. */
export const channelIpAllowListSchema = z.strictObject({
  channel: z.enum(CHANNELS, { error: "Choose a channel." }),
  ipAllowList: ipAllowListField,
});

/** Every key id an action takes, the same rule everywhere: a malformed one is a key that does not exist. */
export const keyIdField = z.uuid("This API key does not exist.");
export const confirmedField = (error = "Tick the confirmation box.") => z.literal(true, { error });
/** The authenticator code of a step-up; its absence is answered by the step-up itself. */
/** An authenticator code, a recovery code, "passkey" (asking for a challenge) or "pk:" + a passkey assertion. */
export const otpField = z.string().max(8000).optional();
/** With a code: "Don't ask again for 5 minutes" (the sudo window, lib/auth/sudo.ts). */
export const keepConfirmedField = z.boolean().optional();
export const graceField = z.enum(GRACE_OPTIONS.map((g) => g.value) as [GraceOption, ...GraceOption[]], {
  error: "Choose when to revoke the existing key.",
});

export const editKeyActionSchema = editKeySchema.extend({ keyId: keyIdField });
export const ipAllowListActionSchema = ipAllowListSchema.extend({ keyId: keyIdField });
export const toggleKeySchema = z.strictObject({ keyId: keyIdField, version: versionField, confirmed: confirmedField() });
/** Input of every action that breaks an integration: the key, the version seen, the ticked box and the code. */
export const destructiveSchema = z.strictObject({
  keyId: keyIdField,
  version: versionField,
  confirmed: confirmedField(),
  otp: otpField,
  keepConfirmed: keepConfirmedField,
});
export const rollbackSchema = z.strictObject({
  keyId: keyIdField,
  version: versionField,
  confirmed: confirmedField("Tick “I confirm rolling back the API keys immediately”."),
  otp: otpField,
  keepConfirmed: keepConfirmedField,
});
export const extendGraceSchema = z.strictObject({
  keyId: keyIdField,
  version: versionField,
  until: z.iso.datetime({ error: "Choose a new end time." }),
  confirmed: confirmedField(),
  otp: otpField,
  keepConfirmed: keepConfirmedField,
});
export const rotateKeySchema = z
  .strictObject({
    keyId: keyIdField,
    version: versionField, // required: two tabs' "Now" rotations must not both succeed
    grace: graceField,
    confirmed: confirmedField("Tick “I confirm rotating the API keys”."),
    otp: otpField,
    // A key with own credentials: new ones (checked as at creation), or absent for a generated pair.
    own: ownCredentialsSchema.optional(),
    // A channel's "Change credentials": a rotation with "Now", mailed as a change of credentials.
    purpose: z.literal("change-credentials").optional(),
  })
  .refine((v) => v.purpose !== "change-credentials" || v.grace === "now", {
    path: ["grace"],
    message: "Credentials are changed at once.",
  });
/** Bulk rotation and rollback: the keys the page showed, with their versions (a batch that changed meanwhile is refused whole). */
export const bulkKeysSchema = z.strictObject({
  environment: z.enum(ENVIRONMENTS),
  keys: z.array(z.strictObject({ keyId: keyIdField, version: versionField })).max(1000),
  grace: graceField.optional(),
  confirmed: confirmedField(),
  otp: otpField,
  keepConfirmed: keepConfirmedField,
  // Rotate: keys mid-rotation are left as they are unless their windows are to be finished first.
  finishWindows: z.boolean().optional(),
});

/** Flattens zod issues to { field: first message }. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : issue.path.join(".") || "form";
    const message = issue.code === "unrecognized_keys" ? `Not editable: ${issue.keys.join(", ")}.` : issue.message;
    out[key] ??= message;
  }
  return out;
}
