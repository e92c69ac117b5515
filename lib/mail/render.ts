import "server-only";
import { createElement } from "react";
import { render } from "@react-email/render";
import KeyRotatedEmail from "@/emails/key-rotated";
import KeyRolledBackEmail from "@/emails/key-rolled-back";
import KeyRegeneratedEmail from "@/emails/key-regenerated";
import KeyRevokedEmail from "@/emails/key-revoked";
import KeyDeletedEmail from "@/emails/key-deleted";
import GraceExtendedEmail from "@/emails/grace-extended";
import PreviousExpiredEmail from "@/emails/previous-expired";
import KeyExpiringEmail from "@/emails/key-expiring";
import PreviousRevokedEmail from "@/emails/previous-revoked";
import KeysRotatedEmail from "@/emails/keys-rotated";
import KeysRolledBackEmail from "@/emails/keys-rolled-back";
import CredentialsChangedEmail from "@/emails/credentials-changed";
import MemberInvitedEmail from "@/emails/member-invited";
import WebhookEndpointDisabledEmail from "@/emails/webhook-endpoint-disabled";
import KeyGuessedEmail from "@/emails/key-guessed";
import KeyExposedEmail from "@/emails/key-exposed";
import SecurityChangedEmail from "@/emails/security-changed";
import type {
  ExposureMailProps,
  GuessingMailProps,
  InvitationMailProps,
  KeyMailProps,
  KeyMailTemplate,
  SecurityMailProps,
  WebhookDisabledMailProps,
} from "./types";

export const TEMPLATES: Record<KeyMailTemplate, (p: KeyMailProps) => React.ReactElement> = {
  "key-rotated": KeyRotatedEmail,
  "key-rolled-back": KeyRolledBackEmail,
  "key-regenerated": KeyRegeneratedEmail,
  "key-revoked": KeyRevokedEmail,
  "key-deleted": KeyDeletedEmail,
  "grace-extended": GraceExtendedEmail,
  "previous-expired": PreviousExpiredEmail,
  "key-expiring": KeyExpiringEmail,
  "previous-revoked": PreviousRevokedEmail,
  "keys-rotated": KeysRotatedEmail,
  "keys-rolled-back": KeysRolledBackEmail,
  "credentials-changed": CredentialsChangedEmail,
};

export async function renderMail(
  template: string,
  props: KeyMailProps | InvitationMailProps | WebhookDisabledMailProps | GuessingMailProps | ExposureMailProps | SecurityMailProps,
): Promise<{ html: string; text: string }> {
  const element =
    template === "member-invited"
      ? createElement(MemberInvitedEmail, props as InvitationMailProps)
      : template === "webhook-endpoint-disabled"
        ? createElement(WebhookEndpointDisabledEmail, props as WebhookDisabledMailProps)
        : template === "key-guessed"
          ? createElement(KeyGuessedEmail, props as GuessingMailProps)
          : template === "key-exposed"
            ? createElement(KeyExposedEmail, props as ExposureMailProps)
            : template === "security-changed"
              ? createElement(SecurityChangedEmail, props as SecurityMailProps)
              : TEMPLATES[template as KeyMailTemplate]
                ? createElement(TEMPLATES[template as KeyMailTemplate], props as KeyMailProps)
                : null;
  if (!element) throw new Error(`Unknown mail template ${template}`);
  return { html: await render(element), text: await render(element, { plainText: true }) };
}
