import { Button, Section, Text } from "@react-email/components";

/** The grey box of labelled facts a notice is about: which key or endpoint, whose, when. */
export function Facts({ children }: { children: React.ReactNode }) {
  return <Section style={{ backgroundColor: "#f1f5f9", borderRadius: 8, padding: "12px 16px" }}>{children}</Section>;
}

export function Fact({ label, style, children }: { label: string; style?: React.CSSProperties; children: React.ReactNode }) {
  return (
    <Text style={{ margin: "4px 0", ...style }}>
      <strong>{`${label}:`}</strong> {children}
    </Text>
  );
}

/** The call to action under the facts, linking to the page the notice is about. */
export function MailButton({ href, children }: { href: string; children: React.ReactNode }) {
  return (
    <Button href={href} style={{ backgroundColor: "#4f46e5", borderRadius: 6, color: "#ffffff", marginTop: 20, padding: "10px 16px" }}>
      {children}
    </Button>
  );
}
