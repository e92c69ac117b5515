import type { ExposureMailProps } from "@/lib/mail/types";
import { MailShell } from "./components/mail-shell";
import { Fact, Facts, MailButton } from "./components/mail-facts";
import { when } from "./components/key-notice";

const DONE: Record<ExposureMailProps["action"], (p: ExposureMailProps) => string> = {
  ALERT: () => "Nothing was changed (your policy is “Alert only”): rotate or revoke the key now.",
  ROTATE: (p) =>
    `Keyport rotated it (your policy): the exposed secret keeps working for ${p.graceHours} hours, so your integrations keep running while you give them the new secret from the key's page. Then it stops.`,
  REVOKE: () => "Keyport revoked it (your policy “Revoke now”): every integration using it fails until it has a new key.",
};

export default function KeyExposedEmail(props: ExposureMailProps) {
  const env = props.environment === "production" ? "Production" : "Sandbox";
  return (
    <MailShell
      title="An API key's secret was found exposed"
      summary={`${props.reporter} found the secret of this key of ${props.merchantName}${props.url ? ` at ${props.url}` : ""}. ${DONE[props.action](props)}`}
      footer="You get this because you are an owner of this merchant in Keyport."
    >
      <Facts>
        <Fact label="Key">{props.keyName}</Fact>
        <Fact label="Access key">{props.accessKey}</Fact>
        <Fact label="Merchant">{props.merchantName}</Fact>
        <Fact label="Environment">{env}</Fact>
        <Fact label="Found at">{props.url || "—"}</Fact>
        <Fact label="Reported by">{props.reporter}</Fact>
        <Fact label="When">{when(props.at)}</Fact>
      </Facts>
      {props.detailsUrl ? <MailButton href={props.detailsUrl}>Open the key</MailButton> : null}
    </MailShell>
  );
}

KeyExposedEmail.PreviewProps = {
  merchantName: "Acme Payments",
  keyName: "Checkout backend",
  environment: "production",
  accessKey: "ak_live_3Fq8",
  url: "https://github.com/acme/shop/blob/main/.env",
  source: "content",
  reporter: "GitHub secret scanning",
  action: "ROTATE",
  graceHours: 24,
  at: "2026-12-07T09:20:00.000Z",
} satisfies ExposureMailProps;
