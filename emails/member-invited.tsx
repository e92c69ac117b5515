import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Text } from "@react-email/components";
import type { InvitationMailProps } from "@/lib/mail/types";

const when = (iso: string) => new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso)) + " UTC";
const ROLE: Record<string, string> = { OWNER: "Owner", ADMIN: "Admin", DEVELOPER: "Developer", VIEWER: "Viewer" };

export default function MemberInvitedEmail(props: InvitationMailProps) {
  const summary = `${props.inviter} invited you to ${props.merchantName} as ${ROLE[props.role] ?? props.role}.`;
  return (
    <Html lang="en">
      <Head />
      <Preview>{summary}</Preview>
      <Body style={{ backgroundColor: "#f8fafc", fontFamily: "Inter, Helvetica, Arial, sans-serif", margin: 0, padding: "24px 0" }}>
        <Container style={{ backgroundColor: "#ffffff", border: "1px solid #e2e8f0", borderRadius: 12, maxWidth: 560, padding: 32 }}>
          <Text style={{ color: "#4f46e5", fontWeight: 700, margin: 0 }}>Keyport</Text>
          <Heading as="h1" style={{ color: "#0f172a", fontSize: 22, margin: "12px 0" }}>You are invited to {props.merchantName}</Heading>
          <Text style={{ color: "#334155", fontSize: 15 }}>{summary}</Text>
          <Button href={props.acceptUrl} style={{ backgroundColor: "#4f46e5", borderRadius: 6, color: "#ffffff", marginTop: 8, padding: "10px 16px" }}>
            Accept invitation
          </Button>
          <Text style={{ color: "#334155", fontSize: 14 }}>The link works once and expires on {when(props.expiresAt)}. If the button does not work, open this address:</Text>
          <Text style={{ color: "#334155", fontSize: 13, wordBreak: "break-all" }}>{props.acceptUrl}</Text>
          <Hr style={{ borderColor: "#e2e8f0", margin: "24px 0 12px" }} />
          <Text style={{ color: "#64748b", fontSize: 12 }}>If you did not expect this invitation, ignore this e-mail: nothing happens unless you open the link.</Text>
        </Container>
      </Body>
    </Html>
  );
}

MemberInvitedEmail.PreviewProps = {
  merchantName: "Acme Payments",
  role: "DEVELOPER",
  inviter: "owner@acme.test",
  acceptUrl: "http://localhost:3000/invite/preview",
  expiresAt: "2026-11-26T12:00:00.000Z",
} satisfies InvitationMailProps;
