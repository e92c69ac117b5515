import { MailShell } from "./mail-shell";
import { Fact, Facts, MailButton } from "./mail-facts";
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
      <Facts>
        <Fact label="Key">{props.keyName}</Fact>
        <Fact label="Merchant">{props.merchantName}</Fact>
        <Fact label="Environment">{env}</Fact>
        <Fact label="By">{props.actor ?? "Keyport (automatic)"}</Fact>
        <Fact label="When">{when(props.at)}</Fact>
        {props.previousExpiresAt !== undefined ? (
          <Fact label="Previous key stops working">{props.previousExpiresAt ? when(props.previousExpiresAt) : "immediately"}</Fact>
        ) : null}
        {props.expiresAt ? <Fact label="Key expires">{when(props.expiresAt)}</Fact> : null}
      </Facts>
      {children}
      {props.detailsUrl ? <MailButton href={props.detailsUrl}>Open the key</MailButton> : null}
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
