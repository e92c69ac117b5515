import { describe, expect, it } from "vitest";
import { renderMail, TEMPLATES } from "@/lib/mail/render";
import { KEY_MAIL_TEMPLATES, SUBJECTS, type KeyMailProps } from "@/lib/mail/types";

describe("mail templates", () => {
  it("exist for every notice the design lists", () => {
    expect(Object.keys(TEMPLATES).sort()).toEqual([...KEY_MAIL_TEMPLATES].sort());
  });

  it.each(KEY_MAIL_TEMPLATES)("%s renders with its preview props: what, which key and environment, who, when", async (name) => {
    const props = (TEMPLATES[name] as unknown as { PreviewProps: KeyMailProps }).PreviewProps;
    const { html, text } = await renderMail(name, props);
    expect(html).toContain("<html");
    for (const part of [props.keyName, props.merchantName, props.environment === "production" ? "Production" : "Sandbox"])
      expect(text).toContain(part);
    expect(text).toContain(props.actor ?? "Keyport (automatic)");
    expect(text).toContain("23 Nov 2026");
    if (props.previousExpiresAt !== undefined) expect(text).toMatch(/Previous key stops working: (immediately|24 Nov 2026)/);
    expect(SUBJECTS[name](props)).toContain(props.keyName);
  });

  it("never includes a secret-looking string", async () => {
    for (const name of KEY_MAIL_TEMPLATES) {
      const { html } = await renderMail(name, (TEMPLATES[name] as unknown as { PreviewProps: KeyMailProps }).PreviewProps);
      expect(html).not.toMatch(/kp_(live|test)_[0-9A-Za-z]{38}/);
    }
  });
});

describe("the invitation mail", () => {
  it("names the merchant, the role and who invited, with the one-time link as a button and as text", async () => {
    const props = {
      merchantName: "Acme EU",
      role: "ADMIN",
      inviter: "owner@acme.test",
      acceptUrl: "https://keys.example.test/invite/abc123",
      expiresAt: "2026-11-26T12:00:00.000Z",
    };
    const { html, text } = await renderMail("member-invited", props);
    expect(html).toContain("You are invited to Acme EU");
    expect(text).toContain("owner@acme.test invited you to Acme EU as Admin.");
    expect(html.match(/https:\/\/keys\.example\.test\/invite\/abc123/g)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toContain("26 Nov 2026, 12:00 UTC");
  });
});

describe("the security mail", () => {
  it("says what changed, which passkey or merchant, who and when", async () => {
    const { text } = await renderMail("security-changed", {
      event: "passkey-policy-on",
      subject: "Acme EU",
      actor: "owner@acme.test",
      at: "2026-12-07T09:20:00.000Z",
    });
    expect(text).toContain("PASSKEYS ARE NOW REQUIRED FOR STEP-UP"); // the plain-text title is upper case
    expect(text).toContain("authenticator codes are refused");
    expect(text).toContain("Acme EU");
    expect(text).toContain("owner@acme.test");
    expect(text).toContain("7 Dec 2026");
  });
});
