import { z } from "zod";
import { versionField } from "@/lib/keys/schema";

/** Input of every action that breaks an integration: the key, the version seen, and the ticked box. */
export const destructiveSchema = z.strictObject({
  keyId: z.string().max(64),
  version: versionField,
  confirmed: z.literal(true, { error: "Tick the confirmation box." }),
  otp: z.string().max(20).optional(),
});
