import { z } from "zod";

// One schema module for the signed-in user's own authenticator app.
export const totpCodeSchema = z.strictObject({ code: z.string().trim().min(1, "Enter the code from your authenticator app.").max(20) });
export const passwordAgainSchema = z.strictObject({ password: z.string().min(1, "Enter your password.").max(200) });
