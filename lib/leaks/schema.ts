import { z } from "zod";

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
