"use server";
import { createKeySchema } from "@/lib/keys/schema";
import { createKey } from "@/lib/keys/services/create-key";
import { defineMerchantAction } from "./safe-action";

// No revalidation here: the grid refreshes when the secret dialog closes, not before.
export const createKeyAction = defineMerchantAction({
  permission: "keys.write",
  schema: createKeySchema,
  run: ({ actor, db, input }) => createKey(db, actor, input),
});
