import type { GuessingMailProps } from "@/lib/mail/types";
import { MailShell } from "./components/mail-shell";
import { Fact, Facts, MailButton } from "./components/mail-facts";
import { when } from "./components/key-notice";

export default function KeyGuessedEmail(props: GuessingMailProps) {
  const env = props.environment === "production" ? "Production" : "Sandbox";
  return (
    <MailShell
      title="Someone is guessing an API key's password"
      summary={`${props.failures.toLocaleString("en-US")} wrong passwords from ${props.addresses.toLocaleString("en-US")} client addresses were tried for this key of ${props.merchantName} since ${when(props.since)}. Nothing is locked: addresses that used the right password before keep working, and each guessing address is slowed down on its own. If you do not recognise this traffic, set an IP allow-list on the key or change its credentials.`}
      footer="You get this because you are an owner of this merchant in Keyport. Keyport sends it at most once an hour per key."
    >
      <Facts>
        <Fact label="Key">{props.keyName}</Fact>
        <Fact label="Access key">{props.accessKey}</Fact>
        <Fact label="Merchant">{props.merchantName}</Fact>
        <Fact label="Environment">{env}</Fact>
        <Fact label="Wrong passwords">{props.failures.toLocaleString("en-US")}</Fact>
        <Fact label="Client addresses">{props.addresses.toLocaleString("en-US")}</Fact>
        <Fact label="Since">{when(props.since)}</Fact>
      </Facts>
      {props.detailsUrl ? <MailButton href={props.detailsUrl}>Open the key</MailButton> : null}
    </MailShell>
  );
}

KeyGuessedEmail.PreviewProps = {
  merchantName: "Acme Payments",
  keyName: "SFTP upload",
  environment: "production",
  accessKey: "acme-sftp",
  failures: 2000,
  addresses: 200,
  since: "2026-12-07T09:00:00.000Z",
  at: "2026-12-07T09:20:00.000Z",
} satisfies GuessingMailProps;
