"use server";
import { z } from "zod";
import { keyIdField } from "@/lib/keys/schema";
import { dismissExposure } from "@/lib/leaks/dismiss";
import { defineMerchantAction } from "./safe-action";

/** "Dismiss" on an Exposed key: owners only (the badge is theirs to clear), audited. */
export const dismissExposureAction = defineMerchantAction({
  permission: "keys.rotate",
  schema: z.strictObject({ keyId: keyIdField }),
  run: ({ actor, db, input }) => dismissExposure(db, actor, input.keyId),
  result: () => null,
  revalidate: "developers",
});
