import { z } from "zod";
import { leakReportSchema } from "@/lib/leaks/schema";
import { CHANNELS, ENVIRONMENTS, KEY_STATUSES } from "@/lib/keys/types";
import { createKeySchema, descriptionField, ipAllowListField, nameField, ownCredentialsSchema, versionField } from "@/lib/keys/schema";
import { GRACE_OPTIONS, type GraceOption } from "@/lib/keys/rotation";
import { OUTCOMES } from "@/lib/verify/types";

// What the management API reads and answers, as zod schemas: the route pipeline parses with them
// and the OpenAPI document is generated from them. Inputs reuse lib/keys/schema's fields.

const iso = z.string().meta({ format: "date-time" });

export const credentialDto = z
  .object({
    slot: z.enum(["CURRENT", "PREVIOUS"]),
    kind: z.enum(["GENERATED", "USER_CHOSEN"]),
    accessKey: z.string(),
    secretHint: z.string(),
    createdAt: iso,
    expiresAt: iso.nullable(),
    rotatedAt: iso.nullable(),
    graceExtended: z.boolean(),
  })
  .meta({ id: "Credential" });

export const keyDto = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    environment: z.enum(ENVIRONMENTS),
    channel: z.enum(CHANNELS),
    status: z.enum(KEY_STATUSES),
    displayStatus: z.enum([...KEY_STATUSES, "EXPIRED"]),
    version: z.number().int(),
    permissions: z.array(z.string()),
    ipAllowList: z.array(z.string()),
    createdAt: iso,
    updatedAt: iso,
    expiresAt: iso,
    lastRotatedAt: iso.nullable(),
    lastUsedAt: iso.nullable(),
    credentials: z.array(credentialDto),
  })
  .meta({ id: "ApiKey" });
export type KeyDto = z.infer<typeof keyDto>;

export const issuedKeyDto = z
  .object({
    key: keyDto,
    accessKey: z.string(),
    secret: z.string().meta({ description: "Shown in this response only. Store it now: it cannot be read again." }),
    previousExpiresAt: iso.nullable().meta({ description: "When the previous credential stops working (rotations)." }),
  })
  .meta({ id: "IssuedKey" });

export const keyListDto = z.object({ data: z.array(keyDto), nextCursor: z.string().nullable() }).meta({ id: "ApiKeyList" });

export const deletedKeyDto = z.object({ id: z.uuid(), name: z.string(), deleted: z.literal(true) }).meta({ id: "DeletedKey" });

export const auditEventDto = z
  .object({
    id: z.uuid(),
    action: z.string(),
    keyId: z.uuid().nullable(),
    actor: z.string(),
    clientIp: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    createdAt: iso,
  })
  .meta({ id: "AuditEvent" });
export const auditListDto = z.object({ data: z.array(auditEventDto), nextCursor: z.string().nullable() }).meta({ id: "AuditEventList" });

export const problemDto = z
  .object({
    type: z.string().meta({ description: "Stable per refusal, e.g. urn:keyport:problem:not-found." }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.record(z.string(), z.string()).optional(),
  })
  .meta({ id: "Problem" });

// ── Inputs ──────────────────────────────────────────────────────────────────────────────────────
const limitField = z.coerce.number().int().min(1).max(100).default(25);
const cursorField = z.string().max(200).optional();
const searchField = z
  .string()
  .max(100)
  .transform((s) => s.replace(/[\u0000-\u001f\u007f]/g, "").trim() || undefined)
  .optional();

export const listKeysQuery = z.strictObject({
  q: searchField.meta({ description: "Name (anywhere, any case) or the start of an access key." }),
  environment: z.enum(ENVIRONMENTS).optional(),
  channel: z.enum(CHANNELS).optional(),
  status: z.enum(KEY_STATUSES).optional(),
  cursor: cursorField,
  limit: limitField,
});

export const listAuditQuery = z.strictObject({
  keyId: z.uuid().optional(),
  action: z.string().max(64).optional(),
  cursor: cursorField,
  limit: limitField,
});

export const versionQuery = z.strictObject({ version: versionField.optional() });

/** The portal's create schema itself, named for the document. */
export const createKeyBody = createKeySchema.meta({ id: "CreateKey" });
export const updateKeyBody = z
  .strictObject({ name: nameField.optional(), description: descriptionField.optional(), version: versionField.optional() })
  .meta({ id: "UpdateKey" });
export const ipAllowListBody = z
  .strictObject({ ipAllowList: ipAllowListField, version: versionField.optional() })
  .meta({ id: "IpAllowList" });
export const versionBody = z.strictObject({ version: versionField.optional() }).meta({ id: "VersionOnly" });
export const emptyBody = z.strictObject({}).meta({ id: "Empty" });

/** An ISO 8601 duration (PT24H, P1D, PT0S) as milliseconds, or null. */
export function durationMs(s: string): number | null {
  const m = /^P(?:(\d{1,3})D)?(?:T(?:(\d{1,4})H)?(?:(\d{1,6})M)?(?:(\d{1,7})S)?)?$/.exec(s);
  if (!m || s === "P" || s.endsWith("T")) return null;
  const [, d, h, min, sec] = m.map((x) => Number(x ?? 0));
  return ((d * 24 + h) * 60 + min) * 60_000 + sec * 1000;
}
const GRACE_HELP = `One of ${GRACE_OPTIONS.map((g) => g.value).join(", ")}, or the same as an ISO 8601 duration (PT0S, PT1H, PT3H, PT24H, PT48H, PT72H, P7D).`;

/** The portal's choices, by name or as an ISO 8601 duration of the same length; nothing else. */
export const graceInput = z
  .string()
  .max(20)
  .transform((s, ctx): GraceOption => {
    const byName = GRACE_OPTIONS.find((g) => g.value === s);
    const ms = byName ? null : durationMs(s);
    const option = byName ?? GRACE_OPTIONS.find((g) => g.ms === ms);
    if (!option) {
      ctx.addIssue({ code: "custom", message: GRACE_HELP });
      return z.NEVER;
    }
    return option.value;
  })
  .meta({ description: GRACE_HELP, examples: ["PT24H", "1h"] });

export const rotateBody = z
  .strictObject({ grace: graceInput.default("24h"), version: versionField.optional(), own: ownCredentialsSchema.optional() })
  .meta({ id: "RotateKey" });
export const regenerateBody = z
  .strictObject({ version: versionField.optional(), own: ownCredentialsSchema.optional() })
  .meta({ id: "RegenerateKey" });
export const extendBody = z
  .strictObject({ until: z.iso.datetime({ error: "Send the new end as an ISO 8601 date-time." }), version: versionField.optional() })
  .meta({ id: "ExtendGrace" });

export const verifyRequest = z
  .object({
    key: z.string().meta({ description: "The secret, kp_live_… or kp_test_…; or use HTTP Basic accessKey:secret instead." }),
    permissions: z.array(z.string().max(64)).max(20).optional(),
  })
  .meta({ id: "VerifyRequest" });
export const verifyResponse = z
  .object({
    valid: z.boolean(),
    outcome: z.enum(OUTCOMES),
    keyId: z.uuid().nullable(),
    merchantId: z.uuid().nullable(),
    environment: z.enum(ENVIRONMENTS).nullable(),
    channel: z.enum(CHANNELS).nullable(),
    permissions: z.array(z.string()),
    expiresAt: iso.nullable(),
    rotation: z.object({ previousExpiresAt: iso }).optional(),
  })
  .meta({ id: "VerifyResponse" });
export const verifyError = z.object({ error: z.string(), message: z.string() }).meta({ id: "VerifyError" });

/** A merchant's own leak report (its CI's gitleaks or trufflehog): GitHub's format. */
export const leakReportBody = leakReportSchema.meta({ id: "LeakReport" });
export const leakAnswersDto = z
  .array(
    z.object({
      token_hash: z.string().meta({ description: "SHA-256 of the token, hex." }),
      token_type: z.string(),
      label: z.enum(["true_positive", "false_positive"]),
    }),
  )
  .meta({ id: "LeakAnswers" });
