import type { SecurityMailProps } from "@/lib/mail/types";
import { MailShell } from "./components/mail-shell";
import { Fact, Facts } from "./components/mail-facts";
import { when } from "./components/key-notice";

const TEXT: Record<SecurityMailProps["event"], { title: string; summary: (p: SecurityMailProps) => string; footer: string }> = {
  "passkey-added": {
    title: "A passkey was added to your account",
    summary: (p) =>
      `The passkey “${p.subject}” can now sign you in to Keyport and confirm actions that break an integration. If this was not you, remove it on the Security page and change your password.`,
    footer: "You get this because it is your account.",
  },
  "passkey-removed": {
    title: "A passkey was removed from your account",
    summary: (p) =>
      `The passkey “${p.subject}” no longer signs you in or confirms actions. If this was not you, change your password and check your other passkeys.`,
    footer: "You get this because it is your account.",
  },
  "passkey-policy-on": {
    title: "Passkeys are now required for step-up",
    summary: (p) =>
      `Rotations, revokes and deletions of ${p.subject}'s keys are now confirmed with a passkey only: authenticator codes are refused (recovery codes still work). Owners without a passkey should add one on the Security page.`,
    footer: "You get this because you are an owner of this merchant in Keyport.",
  },
  "passkey-policy-off": {
    title: "Authenticator codes confirm step-up again",
    summary: (p) => `Actions on ${p.subject}'s keys may be confirmed with an authenticator code again, as well as with a passkey.`,
    footer: "You get this because you are an owner of this merchant in Keyport.",
  },
};

export default function SecurityChangedEmail(props: SecurityMailProps) {
  const t = TEXT[props.event];
  return (
    <MailShell title={t.title} summary={t.summary(props)} footer={t.footer}>
      <Facts>
        <Fact label={props.event.startsWith("passkey-policy") ? "Merchant" : "Passkey"}>{props.subject}</Fact>
        <Fact label="By">{props.actor}</Fact>
        <Fact label="When">{when(props.at)}</Fact>
      </Facts>
    </MailShell>
  );
}

SecurityChangedEmail.PreviewProps = {
  event: "passkey-added",
  subject: "MacBook Touch ID",
  actor: "owner@acme.test",
  at: "2026-12-07T09:20:00.000Z",
} satisfies SecurityMailProps;
