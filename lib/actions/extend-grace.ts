"use server";
import { extendGraceSchema } from "@/lib/keys/schema";
import { extendGrace } from "@/lib/keys/services/extend-grace";
import { defineStepUpAction } from "./safe-action";

export const extendGraceAction = defineStepUpAction({
  sudo: true,
  permission: "keys.rotate",
  schema: extendGraceSchema,
  run: ({ actor, tx, input }) => extendGrace(tx, actor, input.keyId, new Date(input.until), { version: input.version }),
  revalidate: "developers",
});
