import { randomBytes } from "node:crypto";
import { test, expect, expectAccessible, snap, ownerSession, confirmWithCode, signIn, USERS, openMerchant, dbQuery } from "./fixtures";
import { newKey, newSubAccount, rotate, clickUntilVisible } from "./flows";
import { addEndpoint, rememberForLeakScan, startReceiver, verifies } from "./receiver";

const unique = (label: string) => `${label} ${randomBytes(3).toString("hex")}`;

test.describe("webhooks, as the owner", () => {
  test.use(ownerSession);

  test("key.rotated verifies with the old and the new key; after rollback only the old; after revoke-now only the new; 500, 500, 200 gives three attempts", async ({
    page,
  }) => {
    const receiver = await startReceiver();
    try {
      const merchant = await newSubAccount(page, "E2E webhooks");
      const keyName = unique("Signer");
      const first = await newKey(page, keyName, "Sandbox", merchant.name);
      const keyPage = page.url();
      const keyId = /\/keys\/([0-9a-f-]{36})/.exec(keyPage)![1];

      // The Webhooks page, under the Developers tab.
      await page.goto(`/merchants/${merchant.id}/developers`);
      await page.getByRole("link", { name: "Webhooks", exact: true }).click();
      await expect(page.getByRole("heading", { level: 2, name: "Webhooks" })).toBeVisible();
      await page.getByRole("link", { name: "Sandbox", exact: true }).click();
      await expect(page.getByRole("link", { name: "Sandbox", exact: true })).toHaveAttribute("aria-current", "page");
      const add = await addEndpoint(page, "http://10.0.0.1/hooks", keyName);
      await add.getByRole("button", { name: "Add endpoint" }).click();
      await expect(add.getByText(/private, loopback, link-local/).first()).toBeVisible();
      await add.getByLabel("Endpoint URL").fill(`${receiver.url}/rotation`);
      await expectAccessible(page);
      await snap(page, "webhooks-add-endpoint");
      await add.getByRole("button", { name: "Add endpoint" }).click();
      await expect(page.getByRole("link", { name: `${receiver.url}/rotation` })).toBeVisible();

      // Rotation with a 24-hour window: both keys sign.
      await page.goto(keyPage);
      const second = await rotate(page, "24 hours");
      await expect.poll(() => receiver.of("/rotation", "key.rotated").length, { timeout: 20_000 }).toBe(1);
      const rotated = receiver.of("/rotation", "key.rotated")[0];
      expect(JSON.parse(rotated.body).data).toMatchObject({ keyId, name: keyName, environment: "sandbox", channel: "REST" });
      expect(JSON.parse(rotated.body).data.previousExpiresAt).toMatch(/^\d{4}-/);
      expect(rotated.headers["webhook-signature"].split(" ")).toHaveLength(2);
      expect([verifies(first, rotated), verifies(second, rotated)]).toEqual([true, true]);
      for (const secret of [first, second]) expect(rotated.body).not.toContain(secret);

      // Rollback: only the surviving (old) key signs.
      const warning = page.getByRole("dialog", { name: "Warning!" });
      await clickUntilVisible(page.getByRole("button", { name: "Rollback", exact: true }), warning);
      await warning.getByRole("checkbox", { name: "I confirm rolling back the API keys immediately" }).check();
      await warning.getByRole("button", { name: "Next" }).click();
      await confirmWithCode(page, "Submit");
      await page.getByRole("dialog", { name: "API key rolled back" }).getByRole("button", { name: "Done" }).click();
      await expect.poll(() => receiver.of("/rotation", "key.rolled_back").length, { timeout: 20_000 }).toBe(1);
      const rolledBack = receiver.of("/rotation", "key.rolled_back")[0];
      expect([verifies(first, rolledBack), verifies(second, rolledBack)]).toEqual([true, false]);

      // A new rotation, whose window is then ended ("Revoke previous key now"): only the new key signs.
      // (The window ending by the clock is driven through the sweep in lib/webhooks/delivery.test.ts:
      // the portal's shortest window is an hour.)
      const third = await rotate(page, "24 hours");
      rememberForLeakScan([first, second, third]);
      await expect.poll(() => receiver.of("/rotation", "key.rotated").length, { timeout: 20_000 }).toBe(2);
      expect([
        verifies(first, receiver.of("/rotation", "key.rotated")[1]),
        verifies(third, receiver.of("/rotation", "key.rotated")[1]),
      ]).toEqual([true, true]);
      const revoke = page.getByRole("dialog", { name: "Revoke previous key now" });
      await clickUntilVisible(page.getByRole("button", { name: "Revoke previous key now", exact: true }), revoke);
      await revoke.getByRole("checkbox", { name: "I understand that the previous key stops working now" }).check();
      await revoke.getByRole("button", { name: "Next" }).click();
      await confirmWithCode(page, "Revoke previous key");
      await expect.poll(() => receiver.of("/rotation", "key.previous_revoked").length, { timeout: 20_000 }).toBe(1);
      const revoked = receiver.of("/rotation", "key.previous_revoked")[0];
      expect([verifies(first, revoked), verifies(third, revoked)]).toEqual([false, true]);

      // A receiver answering 500, 500, then 200: one event, delivered once, three attempts on the page.
      await page.goto(`/merchants/${merchant.id}/developers/webhooks?env=sandbox`);
      receiver.answers.set("/flaky", [500, 500, 200]);
      const flaky = await addEndpoint(page, `${receiver.url}/flaky`, keyName);
      await flaky.getByRole("button", { name: "Add endpoint" }).click();
      await page.getByRole("link", { name: `${receiver.url}/flaky` }).click();
      await expect(page.getByRole("heading", { level: 2, name: `${receiver.url}/flaky` })).toBeVisible();
      await page.getByRole("button", { name: "Send test event" }).click();
      await expect.poll(() => receiver.of("/flaky", "ping").length, { timeout: 30_000 }).toBe(3);
      const pings = receiver.of("/flaky", "ping");
      expect(pings.map((p) => p.answered)).toEqual([500, 500, 200]);
      expect(new Set(pings.map((p) => p.headers["webhook-id"])).size).toBe(1);
      expect(pings.every((p) => verifies(third, p))).toBe(true);
      const attempts = page.getByRole("table", { name: "Delivery attempts" }).getByRole("row");
      await expect(async () => {
        await page.reload();
        await expect(attempts).toHaveCount(4, { timeout: 1000 }); // the header and three attempts
      }).toPass({ timeout: 15_000 });
      await expect(attempts.nth(1)).toContainText("200");
      await expect(attempts.nth(2)).toContainText("500");
      await expect(attempts.nth(3)).toContainText("500");
      await expect(attempts.nth(3)).toContainText("receiver is down");
      await expect(attempts.nth(1).getByRole("button", { name: "Resend" })).toBeVisible();
      await expectAccessible(page);
      await snap(page, "webhooks-endpoint-attempts");
      // Sent is final: the job runner takes only PENDING rows, so no fourth try can come.
      expect(
        await dbQuery(
          `SELECT d.status, d.attempts FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE e.url = $1`,
          [`${receiver.url}/flaky`],
        ),
      ).toEqual([{ status: "SENT", attempts: 3 }]);
      expect(receiver.of("/flaky", "ping")).toHaveLength(3);

      // Edit, then Delete behind its confirmation.
      const edit = page.getByRole("dialog", { name: "Edit endpoint" });
      await clickUntilVisible(page.getByRole("button", { name: "Edit", exact: true }), edit);
      await edit.getByLabel("Description (optional)").fill("Flaky receiver");
      await expectAccessible(page);
      await snap(page, "webhooks-edit-endpoint");
      await edit.getByRole("button", { name: "Save endpoint" }).click();
      await expect(page.getByText("Flaky receiver")).toBeVisible();
      const del = page.getByRole("dialog", { name: "Delete endpoint" });
      await page.getByRole("button", { name: "Delete", exact: true }).click();
      await expect(del.getByRole("button", { name: "Delete endpoint" })).toBeDisabled();
      await del.getByRole("checkbox", { name: "I confirm deleting this endpoint" }).check();
      await expectAccessible(page);
      await snap(page, "webhooks-delete-endpoint");
      await del.getByRole("button", { name: "Delete endpoint" }).click();
      await expect(page.getByRole("heading", { level: 2, name: "Webhooks" })).toBeVisible();
      await expect(page.getByRole("link", { name: `${receiver.url}/rotation` })).toBeVisible();
      await expect(page.getByRole("link", { name: `${receiver.url}/flaky` })).toHaveCount(0);

      await page.goto(`/merchants/${merchant.id}/developers/webhooks?env=sandbox`);
      await expect(page.getByRole("heading", { name: "Verify deliveries" })).toBeVisible();
      await expect(page.getByText('import { Webhook } from "standardwebhooks";')).toBeVisible();
      await expectAccessible(page);
      await snap(page, "webhooks-page");
    } finally {
      await receiver.close();
    }
  });
});

test.describe("webhooks, as a viewer", () => {
  test("the page is read only", async ({ page }) => {
    await signIn(page, USERS.viewer);
    await openMerchant(page, "Acme Payments");
    await page.getByRole("link", { name: "Webhooks", exact: true }).click();
    await expect(page.getByRole("heading", { level: 2, name: "Webhooks" })).toBeVisible();
    await expect(page.getByText("Only owners and admins of this merchant can add or change endpoints.")).toBeVisible();
    await expect(page.getByRole("button", { name: "+ Add endpoint" })).toHaveCount(0);
    await snap(page, "webhooks-viewer");
  });
});
