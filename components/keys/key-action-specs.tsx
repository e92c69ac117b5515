import { DEFAULT_GRACE, GRACE_OPTIONS } from "@/lib/keys/rotation";
import type { GuardedSpec } from "./guarded-action-dialog";
import { statusSpec } from "./status-specs";
import { OwnCredentialsFields, ownCredentialsReady, type OwnCredentialsChoice } from "./own-credentials-fields";

export type KeyActionKind = "disable" | "enable" | "rotate" | "rollback" | "extend" | "revokePrevious" | "regenerate" | "revoke" | "delete";

/**
 * The key page's dialogs, in the help pages' words: "Next" between steps, "Submit" to rotate or
 * roll back. Each dialog that stops a credential previews the traffic that would break.
 */
export function keyActionSpecs(p: {
  merchantId: string;
  keyId: string;
  hasOwnCredentials: boolean;
  own: OwnCredentialsChoice;
  setOwn: (v: OwnCredentialsChoice) => void;
  extendOptions: { value: string; label: string }[];
}): Record<KeyActionKind, GuardedSpec> {
  const { hasOwnCredentials, own, setOwn, extendOptions } = p;
  const keyIds = [p.keyId];
  const all = { merchantId: p.merchantId, keyIds, scope: "all" as const };
  const ownFields = hasOwnCredentials ? <OwnCredentialsFields value={own} onChange={setOwn} /> : null;
  const ownReady = () => !hasOwnCredentials || ownCredentialsReady(own);
  return {
    disable: statusSpec("disable", p.merchantId, p.keyId),
    enable: statusSpec("enable", p.merchantId, p.keyId),
    rotate: {
      choice: {
        title: "Choose when to revoke the existing key",
        legend: "A new secret is created now. The existing one keeps working until:",
        options: GRACE_OPTIONS.map((g) => ({ value: g.value, label: g.label })),
        initial: DEFAULT_GRACE,
      },
      warning: (choice) => (
        <div className="space-y-3">
          <p>
            {choice === "now"
              ? "The existing key stops working at once: every integration that still uses it fails from this moment until it is given the new secret. Everything else about the key stays the same."
              : "Changing credentials breaks every integration that still uses the existing key once it is revoked: switch them to the new secret before then. Everything else about the key stays the same."}
          </p>
          {ownFields}
        </div>
      ),
      ready: ownReady,
      checkbox: "I confirm rotating the API keys",
      confirmLabel: "Submit",
      otp: true,
      impact: { ...all, when: (choice) => choice === "now" },
    },
    rollback: {
      warning:
        "Changing credentials breaks every integration already switched to the new secret: it is deleted, and the previous one becomes current again, with no expiry.",
      checkbox: "I confirm rolling back the API keys immediately",
      confirmLabel: "Submit",
      danger: true,
      otp: true,
      sudo: true,
      impact: { ...all, scope: "current" },
    },
    extend: {
      choice: {
        title: "Extend the grace window",
        legend: "Keep the previous key working until (at most 7 days after the rotation; once only):",
        options: extendOptions,
        initial: extendOptions.at(-1)?.value ?? "",
      },
      warning: "The previous key keeps working longer. The window can be extended only once.",
      checkbox: "I confirm extending the grace window",
      confirmLabel: "Extend",
      otp: true,
      sudo: true,
    },
    revokePrevious: {
      warningTitle: "Revoke previous key now",
      warning:
        "The previous key stops working at once: any integration still using it fails from this moment. The current key is not changed, and the grace window cannot be rolled back afterwards.",
      checkbox: "I understand that the previous key stops working now",
      confirmLabel: "Revoke previous key",
      danger: true,
      otp: true,
      sudo: true,
      impact: { ...all, scope: "previous" },
    },
    regenerate: {
      warningTitle: "Regenerate API key",
      warning: (
        <div className="space-y-3">
          <p>
            Changing credentials breaks every integration that uses them: a new secret is created and the current one stops working
            immediately. Everything else about the key stays the same.
          </p>
          {ownFields}
        </div>
      ),
      ready: ownReady,
      checkbox: "I understand that integrations using the current secret will break",
      confirmLabel: "Get New Key",
      danger: true,
      otp: true,
      impact: all,
    },
    revoke: {
      warningTitle: "Revoke API key",
      warning: "A revoked key can never be enabled, rotated or edited again. It stays on the grid as Revoked.",
      checkbox: "I understand that revoking cannot be undone",
      confirmLabel: "Revoke",
      danger: true,
      otp: true,
      sudo: true,
      impact: all,
    },
    delete: {
      warningTitle: "Delete API key",
      warning: "The key and its credentials are removed for good. Its history stays in the audit log.",
      checkbox: "I understand that deleting cannot be undone",
      confirmLabel: "Delete",
      danger: true,
      otp: true,
      sudo: true,
      impact: all,
    },
  };
}
