"use server";
import { toggleKeySchema } from "@/lib/keys/schema";
import { changeKeyStatus } from "@/lib/keys/services/change-key-status";
import { defineMerchantAction } from "./safe-action";

const toggle = (action: "disable" | "enable") =>
  defineMerchantAction({
    permission: "keys.toggle",
    schema: toggleKeySchema,
    run: ({ actor, db, input }) => changeKeyStatus(db, actor, input.keyId, action, { version: input.version }),
    result: () => null,
    revalidate: "developers",
  });

export const disableKeyAction = toggle("disable");
export const enableKeyAction = toggle("enable");
