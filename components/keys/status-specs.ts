import type { GuardedSpec } from "./guarded-action-dialog";

/**
 * The one dialog of Disable and Activate, in the words merchants know ("Disable", "Activate",
 * "Cancel"), wherever it opens: the "Active" switch on a card or a key page, or the key page's
 * Actions. Disabling breaks whatever still calls with the key, so it asks for the ticked box and
 * previews that traffic.
 */
export function statusSpec(action: "disable" | "enable", merchantId: string, keyId: string): GuardedSpec {
  return action === "disable"
    ? {
        warningTitle: "Disable API key",
        warning: "Requests with this key fail verification until it is activated again.",
        checkbox: "I understand that integrations using this key will stop working",
        confirmLabel: "Disable",
        danger: true,
        otp: false,
        impact: { merchantId, keyIds: [keyId], scope: "all" },
      }
    : {
        warningTitle: "Activate API key",
        warning: "Requests with this key pass verification again.",
        checkbox: "I confirm activating this key",
        confirmLabel: "Activate",
        otp: false,
      };
}
