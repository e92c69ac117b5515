import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";
import type { KeyMailProps } from "@/lib/mail/types";

const when = (iso: string) =>
  new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso)) + " UTC";

/** The shared body of every key notice: what happened, to which key, by whom, and when the old key stops. */
export function KeyNotice({ title, summary, props, children }: { title: string; summary: string; props: KeyMailProps; children?: React.ReactNode }) {
  const env = props.environment === "production" ? "Production" : "Sandbox";
  return (
    <Html lang="en">
      <Head />
      <Preview>{summary}</Preview>
      <Body style={{ backgroundColor: "#f8fafc", fontFamily: "Inter, Helvetica, Arial, sans-serif", margin: 0, padding: "24px 0" }}>
        <Container style={{ backgroundColor: "#ffffff", border: "1px solid #e2e8f0", borderRadius: 12, maxWidth: 560, padding: 32 }}>
          <Text style={{ color: "#4f46e5", fontWeight: 700, margin: 0 }}>Keyport</Text>
          <Heading as="h1" style={{ color: "#0f172a", fontSize: 22, margin: "12px 0" }}>{title}</Heading>
          <Text style={{ color: "#334155", fontSize: 15 }}>{summary}</Text>
          <Section style={{ backgroundColor: "#f1f5f9", borderRadius: 8, padding: "12px 16px" }}>
            <Text style={{ margin: "4px 0" }}><strong>Key:</strong> {props.keyName}</Text>
            <Text style={{ margin: "4px 0" }}><strong>Merchant:</strong> {props.merchantName}</Text>
            <Text style={{ margin: "4px 0" }}><strong>Environment:</strong> {env}</Text>
            <Text style={{ margin: "4px 0" }}><strong>By:</strong> {props.actor ?? "Keyport (automatic)"}</Text>
            <Text style={{ margin: "4px 0" }}><strong>When:</strong> {when(props.at)}</Text>
            {props.previousExpiresAt !== undefined ? (
              <Text style={{ margin: "4px 0" }}>
                <strong>Previous key stops working:</strong> {props.previousExpiresAt ? when(props.previousExpiresAt) : "immediately"}
              </Text>
            ) : null}
            {props.expiresAt ? <Text style={{ margin: "4px 0" }}><strong>Key expires:</strong> {when(props.expiresAt)}</Text> : null}
          </Section>
          {children}
          {props.detailsUrl ? (
            <Button href={props.detailsUrl} style={{ backgroundColor: "#4f46e5", borderRadius: 6, color: "#ffffff", marginTop: 20, padding: "10px 16px" }}>
              Open the key
            </Button>
          ) : null}
          <Hr style={{ borderColor: "#e2e8f0", margin: "24px 0 12px" }} />
          <Text style={{ color: "#64748b", fontSize: 12 }}>You get this because you can see this merchant&apos;s API keys in Keyport.</Text>
        </Container>
      </Body>
    </Html>
  );
}

export const previewProps: KeyMailProps = {
  merchantName: "Acme Payments",
  keyName: "Checkout backend",
  environment: "production",
  actor: "owner@acme.test",
  at: "2026-11-23T12:00:00.000Z",
  previousExpiresAt: "2026-11-24T12:00:00.000Z",
  detailsUrl: "http://localhost:3000/merchants",
};
