"use server";
import { passkeyPolicySchema, setPasskeyPolicy } from "@/lib/auth/passkey-policy";
import { defineStepUpAction } from "./safe-action";

/** "Require a passkey for step-up": owners, confirmed with step-up (a code, or a passkey). */
export const setPasskeyPolicyAction = defineStepUpAction({
  sudo: false,
  permission: "members.write",
  schema: passkeyPolicySchema,
  run: ({ actor, tx, input }) => setPasskeyPolicy(tx, actor, input.requirePasskey),
});
