"use server";
import { keyRefSchema } from "@/lib/keys/schema";
import { duplicateKey } from "@/lib/keys/services/create-key";
import { defineMerchantAction } from "./safe-action";

// No revalidation here: the grid refreshes when the secret dialog closes, not before.
export const duplicateKeyAction = defineMerchantAction({
  permission: "keys.write",
  schema: keyRefSchema,
  run: ({ actor, db, input }) => duplicateKey(db, actor, input.keyId),
});
