import { KeyNotice, previewProps } from "./components/key-notice";
import type { KeyMailProps } from "@/lib/mail/types";

export default function PreviousRevokedEmail(props: KeyMailProps) {
  return (
    <KeyNotice
      title="The previous key was revoked"
      summary={`${props.actor ?? "Keyport"} ended the grace window of ${props.keyName} early: the previous key stopped working at once, and only the new key works from now on.`}
      props={props}
    />
  );
}

PreviousRevokedEmail.PreviewProps = { ...previewProps, previousExpiresAt: null } satisfies KeyMailProps;
