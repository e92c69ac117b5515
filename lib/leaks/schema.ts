import { z } from "zod";
import { SECRET_PATTERN } from "./pattern";

/**
 * A leak report in GitHub's secret-scanning format, `[{token, type, url, source}]`: what GitHub
 * sends and what a merchant's own scanner sends through the management API (fields GitHub may add
 * are ignored).
 */
export const leakReportSchema = z
  .array(
    z.object({
      token: z.string().min(1).max(1000),
      type: z.string().max(100).optional(),
      url: z.string().max(2048).optional(),
      source: z.string().max(64).optional(),
    }),
  )
  .min(1)
  .max(1000);

/** "Report a leaked key" in the portal: one pasted secret key and, if known, where it was found. */
export const portalLeakReportSchema = z.strictObject({
  secret: z
    .string()
    .trim()
    .min(1, "Paste the secret key you found.")
    .max(1000, "That is not a Keyport secret key.")
    .refine((s) => new RegExp(`^${SECRET_PATTERN}$`).test(s), "That is not a Keyport secret key: they start kp_live_ or kp_test_."),
  url: z
    .string()
    .trim()
    .max(2048, "Use at most 2048 characters.")
    .refine((s) => s === "" || /^https?:\/\/\S+$/i.test(s), "Enter the web address where you found it, or leave it empty.")
    .default(""),
});
