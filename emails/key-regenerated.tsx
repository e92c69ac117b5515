import { KeyNotice, previewProps } from "./components/key-notice";
import type { KeyMailProps } from "@/lib/mail/types";

export default function KeyRegeneratedEmail(props: KeyMailProps) {
  return (
    <KeyNotice
      title="An API key was regenerated"
      summary={`${props.actor ?? "Keyport"} regenerated ${props.keyName}. The old secret stopped working immediately.`}
      props={props}
    />
  );
}

KeyRegeneratedEmail.PreviewProps = { ...previewProps, previousExpiresAt: null } satisfies KeyMailProps;
