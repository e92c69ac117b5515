import { Button, Section, Text } from "@react-email/components";
import { MailShell } from "./mail-shell";
import type { KeyMailProps } from "@/lib/mail/types";

export const when = (iso: string) =>
  new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso)) + " UTC";

/** The shared body of every key notice: what happened, to which key, by whom, and when the old key stops. */
export function KeyNotice({
  title,
  summary,
  props,
  children,
}: {
  title: string;
  summary: string;
  props: KeyMailProps;
  children?: React.ReactNode;
}) {
  const env = props.environment === "production" ? "Production" : "Sandbox";
  return (
    <MailShell title={title} summary={summary} footer="You get this because you can see this merchant's API keys in Keyport.">
      <Section style={{ backgroundColor: "#f1f5f9", borderRadius: 8, padding: "12px 16px" }}>
        <Text style={{ margin: "4px 0" }}>
          <strong>Key:</strong> {props.keyName}
        </Text>
        <Text style={{ margin: "4px 0" }}>
          <strong>Merchant:</strong> {props.merchantName}
        </Text>
        <Text style={{ margin: "4px 0" }}>
          <strong>Environment:</strong> {env}
        </Text>
        <Text style={{ margin: "4px 0" }}>
          <strong>By:</strong> {props.actor ?? "Keyport (automatic)"}
        </Text>
        <Text style={{ margin: "4px 0" }}>
          <strong>When:</strong> {when(props.at)}
        </Text>
        {props.previousExpiresAt !== undefined ? (
          <Text style={{ margin: "4px 0" }}>
            <strong>Previous key stops working:</strong> {props.previousExpiresAt ? when(props.previousExpiresAt) : "immediately"}
          </Text>
        ) : null}
        {props.expiresAt ? (
          <Text style={{ margin: "4px 0" }}>
            <strong>Key expires:</strong> {when(props.expiresAt)}
          </Text>
        ) : null}
      </Section>
      {children}
      {props.detailsUrl ? (
        <Button
          href={props.detailsUrl}
          style={{ backgroundColor: "#4f46e5", borderRadius: 6, color: "#ffffff", marginTop: 20, padding: "10px 16px" }}
        >
          Open the key
        </Button>
      ) : null}
    </MailShell>
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
