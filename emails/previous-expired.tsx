import { KeyNotice, previewProps } from "./components/key-notice";
import type { KeyMailProps } from "@/lib/mail/types";

export default function PreviousExpiredEmail(props: KeyMailProps) {
  return (
    <KeyNotice
      title="The previous key stopped working"
      summary={`The grace window of ${props.keyName} has ended: only the new key works from now on.`}
      props={props}
    />
  );
}

PreviousExpiredEmail.PreviewProps = { ...previewProps, actor: null } satisfies KeyMailProps;
