import { Button, Text } from "@react-email/components";
import type { InvitationMailProps } from "@/lib/mail/types";
import { MailShell } from "./components/mail-shell";
import { when } from "./components/key-notice";

const ROLE: Record<string, string> = { OWNER: "Owner", ADMIN: "Admin", DEVELOPER: "Developer", VIEWER: "Viewer" };

export default function MemberInvitedEmail(props: InvitationMailProps) {
  return (
    <MailShell
      title={`You are invited to ${props.merchantName}`}
      summary={`${props.inviter} invited you to ${props.merchantName} as ${ROLE[props.role] ?? props.role}.`}
      footer="If you did not expect this invitation, ignore this e-mail: nothing happens unless you open the link."
    >
      <Button
        href={props.acceptUrl}
        style={{ backgroundColor: "#4f46e5", borderRadius: 6, color: "#ffffff", marginTop: 8, padding: "10px 16px" }}
      >
        Accept invitation
      </Button>
      <Text style={{ color: "#334155", fontSize: 14 }}>
        The link works once and expires on {when(props.expiresAt)}. If the button does not work, open this address:
      </Text>
      <Text style={{ color: "#334155", fontSize: 13, wordBreak: "break-all" }}>{props.acceptUrl}</Text>
    </MailShell>
  );
}

MemberInvitedEmail.PreviewProps = {
  merchantName: "Acme Payments",
  role: "DEVELOPER",
  inviter: "owner@acme.test",
  acceptUrl: "http://localhost:3000/invite/preview",
  expiresAt: "2026-11-26T12:00:00.000Z",
} satisfies InvitationMailProps;
