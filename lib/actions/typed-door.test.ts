// The action door is typed end to end: a component's call is checked against the action's own zod
// schema. Each `@ts-expect-error` below must stay an error: if the door went back to untyped
// arguments, `npm run typecheck` would fail on the now-unused directive. Nothing here runs an action.
import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type { editKeyAction } from "./edit-key";
import type { rotateKeyAction } from "./rotate-key";
import type { removeMemberAction } from "./members";
import type { bulkRevokeKeysAction } from "./bulk-keys";
import type { MerchantAction } from "./safe-action";
import type { destructiveSchema } from "@/lib/keys/schema";

const KEY = "00000000-0000-0000-0000-000000000000";

/** Type-checked only: never called. */
function calls(
  edit: typeof editKeyAction,
  rotate: typeof rotateKeyAction,
  remove: typeof removeMemberAction,
  bulk: typeof bulkRevokeKeysAction,
) {
  void edit("m", { keyId: KEY, name: "n", description: "", version: 0 });
  // @ts-expect-error the key id goes in the input, not as its own argument
  void edit("m", KEY, { name: "n", description: "", version: 0 });
  // @ts-expect-error permissions can never be edited
  void edit("m", { keyId: KEY, name: "n", description: "", version: 0, permissions: ["payments:write"] });
  void rotate("m", { keyId: KEY, version: 0, confirmed: true, grace: "24h", otp: "123456" });
  // @ts-expect-error a grace window the portal does not offer
  void rotate("m", { keyId: KEY, version: 0, confirmed: true, grace: "2h", otp: "123456" });
  // @ts-expect-error the confirmation must be ticked (true), not a boolean that may be false
  void remove("m", { membershipId: KEY, confirmed: false as boolean });
  // @ts-expect-error a bulk action takes the keys it was shown, with their versions
  void bulk("m", { keyIds: [KEY], confirmed: true });
}

describe("the typed action door", () => {
  it("takes (merchantId, input) with the input of the action's schema", () => {
    expectTypeOf<Parameters<typeof rotateKeyAction>[1]>().toMatchTypeOf<z.input<typeof destructiveSchema>>();
    expectTypeOf<typeof editKeyAction>().toMatchTypeOf<MerchantAction<z.ZodType, unknown>>();
    expect(typeof calls).toBe("function");
  });
});
