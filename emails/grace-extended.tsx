import { KeyNotice, previewProps } from "./components/key-notice";
import type { KeyMailProps } from "@/lib/mail/types";

export default function GraceExtendedEmail(props: KeyMailProps) {
  return (
    <KeyNotice
      title="A grace window was extended"
      summary={`${props.actor ?? "Keyport"} extended how long the previous key of ${props.keyName} keeps working.`}
      props={props}
    />
  );
}

GraceExtendedEmail.PreviewProps = { ...previewProps } satisfies KeyMailProps;
