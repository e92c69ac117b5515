import { Button, Section, Text } from "@react-email/components";
import type { WebhookDisabledMailProps } from "@/lib/mail/types";
import { MailShell } from "./components/mail-shell";
import { when } from "./components/key-notice";

export default function WebhookEndpointDisabledEmail(props: WebhookDisabledMailProps) {
  const env = props.environment === "production" ? "Production" : "Sandbox";
  return (
    <MailShell
      title="A webhook endpoint was disabled"
      summary={`Every delivery to this endpoint of ${props.merchantName} has failed since ${when(props.failingSince)}, so Keyport stopped sending to it. Fix the receiver, then enable the endpoint again on the Webhooks page.`}
      footer="You get this because you are an owner of this merchant in Keyport."
    >
      <Section style={{ backgroundColor: "#f1f5f9", borderRadius: 8, padding: "12px 16px" }}>
        <Text style={{ margin: "4px 0", wordBreak: "break-all" }}>
          <strong>Endpoint:</strong> {props.url}
        </Text>
        <Text style={{ margin: "4px 0" }}>
          <strong>Merchant:</strong> {props.merchantName}
        </Text>
        <Text style={{ margin: "4px 0" }}>
          <strong>Environment:</strong> {env}
        </Text>
        <Text style={{ margin: "4px 0" }}>
          <strong>Failing since:</strong> {when(props.failingSince)}
        </Text>
        <Text style={{ margin: "4px 0" }}>
          <strong>Disabled:</strong> {when(props.at)}
        </Text>
        {props.lastError ? (
          <Text style={{ margin: "4px 0" }}>
            <strong>Last error:</strong> {props.lastError}
          </Text>
        ) : null}
      </Section>
      {props.detailsUrl ? (
        <Button
          href={props.detailsUrl}
          style={{ backgroundColor: "#4f46e5", borderRadius: 6, color: "#ffffff", marginTop: 20, padding: "10px 16px" }}
        >
          Open the endpoint
        </Button>
      ) : null}
    </MailShell>
  );
}

WebhookEndpointDisabledEmail.PreviewProps = {
  merchantName: "Acme Payments",
  url: "https://hooks.example.com/keyport",
  environment: "production",
  failingSince: "2026-11-20T09:00:00.000Z",
  at: "2026-11-23T09:00:00.000Z",
  lastError: "HTTP 503",
} satisfies WebhookDisabledMailProps;
