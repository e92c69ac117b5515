import { Body, Container, Head, Heading, Hr, Html, Preview, Text } from "@react-email/components";

/** The frame of every Keyport mail: preview line, brand, title, summary, body and footer note. */
export function MailShell({
  title,
  summary,
  footer,
  children,
}: {
  title: string;
  summary: string;
  footer: string;
  children?: React.ReactNode;
}) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{summary}</Preview>
      <Body style={{ backgroundColor: "#f8fafc", fontFamily: "Inter, Helvetica, Arial, sans-serif", margin: 0, padding: "24px 0" }}>
        <Container style={{ backgroundColor: "#ffffff", border: "1px solid #e2e8f0", borderRadius: 12, maxWidth: 560, padding: 32 }}>
          <Text style={{ color: "#4f46e5", fontWeight: 700, margin: 0 }}>Keyport</Text>
          <Heading as="h1" style={{ color: "#0f172a", fontSize: 22, margin: "12px 0" }}>
            {title}
          </Heading>
          <Text style={{ color: "#334155", fontSize: 15 }}>{summary}</Text>
          {children}
          <Hr style={{ borderColor: "#e2e8f0", margin: "24px 0 12px" }} />
          <Text style={{ color: "#64748b", fontSize: 12 }}>{footer}</Text>
        </Container>
      </Body>
    </Html>
  );
}
