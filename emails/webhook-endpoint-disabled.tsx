import type { WebhookDisabledMailProps } from "@/lib/mail/types";
import { MailShell } from "./components/mail-shell";
import { Fact, Facts, MailButton } from "./components/mail-facts";
import { when } from "./components/key-notice";

export default function WebhookEndpointDisabledEmail(props: WebhookDisabledMailProps) {
  const env = props.environment === "production" ? "Production" : "Sandbox";
  return (
    <MailShell
      title="A webhook endpoint was disabled"
      summary={`Every delivery to this endpoint of ${props.merchantName} has failed since ${when(props.failingSince)}, so Keyport stopped sending to it. Fix the receiver, then enable the endpoint again on the Webhooks page.`}
      footer="You get this because you are an owner of this merchant in Keyport."
    >
      <Facts>
        <Fact label="Endpoint" style={{ wordBreak: "break-all" }}>
          {props.url}
        </Fact>
        <Fact label="Merchant">{props.merchantName}</Fact>
        <Fact label="Environment">{env}</Fact>
        <Fact label="Failing since">{when(props.failingSince)}</Fact>
        <Fact label="Disabled">{when(props.at)}</Fact>
        {props.lastError ? <Fact label="Last error">{props.lastError}</Fact> : null}
      </Facts>
      {props.detailsUrl ? <MailButton href={props.detailsUrl}>Open the endpoint</MailButton> : null}
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
