import { KeyNotice, previewProps } from "./components/key-notice";
import type { KeyMailProps } from "@/lib/mail/types";

export default function KeyDeletedEmail(props: KeyMailProps) {
  return (
    <KeyNotice
      title="An API key was deleted"
      summary={`${props.actor ?? "Keyport"} deleted ${props.keyName}. It no longer works.`}
      props={props}
    />
  );
}

KeyDeletedEmail.PreviewProps = { ...previewProps, previousExpiresAt: null } satisfies KeyMailProps;
