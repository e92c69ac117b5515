import { KeyNotice, previewProps } from "./components/key-notice";
import type { KeyMailProps } from "@/lib/mail/types";

export default function KeyRevokedEmail(props: KeyMailProps) {
  return (
    <KeyNotice
      title="An API key was revoked"
      summary={`${props.actor ?? "Keyport"} revoked ${props.keyName}. It no longer works and cannot be enabled again.`}
      props={props}
    />
  );
}

KeyRevokedEmail.PreviewProps = { ...previewProps, previousExpiresAt: null } satisfies KeyMailProps;
