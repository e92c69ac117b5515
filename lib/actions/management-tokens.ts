"use server";
import { createTokenSchema, revokeTokenSchema } from "@/lib/tokens/schema";
import { createToken, revokeToken } from "@/lib/tokens/service";
import { defineMerchantAction, defineStepUpAction } from "./safe-action";

// Called as createManagementTokenAction(merchantId, { name, scopes, expiry, otp }). Owners only,
// with a fresh authenticator code: a token acts for its creator without any further code.
// No revalidation: the page refreshes when the token's dialog closes.
export const createManagementTokenAction = defineStepUpAction({
  sudo: false, // it shows a new secret (the token)
  permission: "tokens.write",
  schema: createTokenSchema,
  run: ({ actor, tx, input }) => createToken(tx, actor, input),
});

export const revokeManagementTokenAction = defineMerchantAction({
  permission: "tokens.write",
  schema: revokeTokenSchema,
  run: ({ actor, db, input }) => revokeToken(db, actor, input.tokenId),
  result: () => null,
  revalidate: "tokens",
});
