import "server-only";
import { cache } from "react";
import { getDb } from "@/lib/db/client";
import { hasTotp } from "@/lib/auth/step-up";

/** Whether the user has a confirmed authenticator app (the step-up dialogs send them to enrol otherwise). */
export const userHasTotp = cache(async (userId: string) => hasTotp(await getDb(), userId));
