import { Section, Text } from "@react-email/components";
import { KeyNotice, previewProps, when } from "./components/key-notice";
import type { KeyMailProps } from "@/lib/mail/types";

/** One mail for a bulk rotation: every key it rotated, each with the time its previous key stops. */
export default function KeysRotatedEmail(props: KeyMailProps) {
  const keys = props.keys ?? [];
  return (
    <KeyNotice
      title="API keys were rotated"
      summary={`${props.actor ?? "Keyport"} rotated ${keys.length} ${props.environment} ${keys.length === 1 ? "key" : "keys"} at once. Update your integrations to the new secrets before the previous keys stop working.`}
      props={{ ...props, previousExpiresAt: undefined, detailsUrl: undefined }}
    >
      <Section style={{ marginTop: 16 }}>
        <Text style={{ margin: "4px 0", fontWeight: 600 }}>Keys rotated</Text>
        {keys.map((k) => (
          <Text key={k.name} style={{ margin: "4px 0" }}>
            {k.name}: previous key stops working {k.previousExpiresAt ? when(k.previousExpiresAt) : "immediately"}
          </Text>
        ))}
      </Section>
    </KeyNotice>
  );
}

KeysRotatedEmail.PreviewProps = {
  ...previewProps,
  keyName: "2 keys",
  previousExpiresAt: undefined, // each key's own time is in the list
  keys: [
    { name: "Checkout backend", previousExpiresAt: "2026-11-24T12:00:00.000Z" },
    { name: "Refunds worker", previousExpiresAt: "2026-11-24T12:00:00.000Z" },
  ],
} satisfies KeyMailProps;
