"use server";
import { exposurePolicySchema, setExposurePolicy } from "@/lib/leaks/policy";
import { defineStepUpAction } from "./safe-action";

/** "If a key is found exposed": owners, with an authenticator code (it decides what a leak report does). */
export const setExposurePolicyAction = defineStepUpAction({
  sudo: true,
  permission: "keys.rotate",
  schema: exposurePolicySchema,
  run: ({ actor, tx, input }) => setExposurePolicy(tx, actor, input),
  revalidate: "developers",
});
