import { KeyNotice, previewProps } from "./components/key-notice";
import type { KeyMailProps } from "@/lib/mail/types";

export default function KeyExpiringEmail(props: KeyMailProps) {
  return (
    <KeyNotice
      title="An API key expires soon"
      summary={`${props.keyName} expires in ${props.daysLeft ?? 30} days. Rotate it or create a new key before then.`}
      props={props}
    />
  );
}

KeyExpiringEmail.PreviewProps = {
  ...previewProps,
  actor: null,
  previousExpiresAt: undefined,
  daysLeft: 30,
  expiresAt: "2026-12-23T12:00:00.000Z",
} satisfies KeyMailProps;
