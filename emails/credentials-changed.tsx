import { KeyNotice, previewProps } from "./components/key-notice";
import type { KeyMailProps } from "@/lib/mail/types";

/** "Change credentials" of a channel: immediate, with no grace window. */
export default function CredentialsChangedEmail(props: KeyMailProps) {
  return (
    <KeyNotice
      title="API key credentials were changed"
      summary={`${props.actor ?? "Keyport"} changed the credentials of ${props.keyName}. The previous credentials stopped working immediately: integrations need the new ones.`}
      props={{ ...props, previousExpiresAt: null }}
    />
  );
}

CredentialsChangedEmail.PreviewProps = { ...previewProps, previousExpiresAt: null } satisfies KeyMailProps;
