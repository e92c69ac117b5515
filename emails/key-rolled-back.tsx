import { KeyNotice, previewProps } from "./components/key-notice";
import type { KeyMailProps } from "@/lib/mail/types";

export default function KeyRolledBackEmail(props: KeyMailProps) {
  return (
    <KeyNotice
      title="A rotation was rolled back"
      summary={`${props.actor ?? "Keyport"} rolled back the rotation of ${props.keyName}. The previous key is current again and the new one no longer works.`}
      props={props}
    />
  );
}

KeyRolledBackEmail.PreviewProps = { ...previewProps, previousExpiresAt: undefined } satisfies KeyMailProps;
