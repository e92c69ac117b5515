import { KeyNotice, previewProps } from "./components/key-notice";
import type { KeyMailProps } from "@/lib/mail/types";

export default function KeyRotatedEmail(props: KeyMailProps) {
  return (
    <KeyNotice
      title="An API key was rotated"
      summary={`${props.actor ?? "Keyport"} rotated ${props.keyName}. Update your integration to the new secret before the previous key stops working.`}
      props={props}
    />
  );
}

KeyRotatedEmail.PreviewProps = { ...previewProps } satisfies KeyMailProps;
