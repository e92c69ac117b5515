import { describe, expect, it } from "vitest";
import { renderMail } from "@/lib/mail/render";
import { WEBHOOK_DISABLED_SUBJECT } from "@/lib/mail/types";
import WebhookEndpointDisabledEmail from "./webhook-endpoint-disabled";

describe("the webhook-endpoint-disabled mail", () => {
  it("names the endpoint, the merchant, the environment and since when it failed", async () => {
    const props = WebhookEndpointDisabledEmail.PreviewProps;
    const { html, text } = await renderMail("webhook-endpoint-disabled", props);
    expect(html).toContain("<html");
    for (const part of [props.url, props.merchantName, "Production", "20 Nov 2026", "HTTP 503"]) expect(text).toContain(part);
    expect(WEBHOOK_DISABLED_SUBJECT(props)).toContain(props.merchantName);
  });
});
