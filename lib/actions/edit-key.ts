"use server";
import { editKeyActionSchema } from "@/lib/keys/schema";
import { editKey } from "@/lib/keys/services/update-key";
import { defineMerchantAction } from "./safe-action";

// Name and description only; the strict schema refuses anything else (permissions above all).
export const editKeyAction = defineMerchantAction({
  permission: "keys.write",
  schema: editKeyActionSchema,
  run: ({ actor, db, input: { keyId, ...values } }) => editKey(db, actor, keyId, values),
  result: (res) => ({ version: res.version }),
  revalidate: "developers",
});
