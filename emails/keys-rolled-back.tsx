import { Section, Text } from "@react-email/components";
import { KeyNotice, previewProps } from "./components/key-notice";
import type { KeyMailProps } from "@/lib/mail/types";

/** One mail for a bulk rollback: every key it rolled back. */
export default function KeysRolledBackEmail(props: KeyMailProps) {
  const keys = props.keys ?? [];
  return (
    <KeyNotice
      title="API keys were rolled back"
      summary={`${props.actor ?? "Keyport"} rolled back ${keys.length} ${props.environment} ${keys.length === 1 ? "key" : "keys"} at once. Each previous secret works again, with no expiry, and each new secret no longer works.`}
      props={{ ...props, previousExpiresAt: undefined, detailsUrl: undefined }}
    >
      <Section style={{ marginTop: 16 }}>
        <Text style={{ margin: "4px 0", fontWeight: 600 }}>Keys rolled back</Text>
        {keys.map((k) => (
          <Text key={k.name} style={{ margin: "4px 0" }}>
            {k.name}
          </Text>
        ))}
      </Section>
    </KeyNotice>
  );
}

KeysRolledBackEmail.PreviewProps = {
  ...previewProps,
  keyName: "2 keys",
  previousExpiresAt: undefined,
  keys: [
    { name: "Checkout backend", previousExpiresAt: null },
    { name: "Refunds worker", previousExpiresAt: null },
  ],
} satisfies KeyMailProps;
