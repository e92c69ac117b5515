// The step-up sudo window, in a session of its own (the suite's shared owner sessions never open
// one), of a pool owner of its own: "Don't ask again for 5 minutes" on a code step, then revoke and delete go on without a
// code while "Authenticator confirmed · m:ss left" shows; rotation still asks; End now closes it.
import {
  test,
  expect,
  signIn,
  signedOutContext,
  asPoolOwner,
  confirmWithCode,
  expectAccessible,
  snap,
  openKey,
  openMerchant,
} from "./fixtures";
import { newKey, openDialog, unique } from "./flows";

test("a code with 'Don't ask again for 5 minutes' opens a sudo window for actions that show no secret; End now closes it", async ({
  browser,
}) => {
  const { context, page } = await signedOutContext(browser);
  try {
    await asPoolOwner(async (me) => {
      await signIn(page, me, undefined, { code: "required" });
      const [a, b, c] = [unique("E2E sudo A"), unique("E2E sudo B"), unique("E2E sudo C")];
      for (const n of [a, b, c]) await newKey(page, n, "Sandbox", "Acme EU");
      const banner = page.getByRole("status", { name: "Authenticator confirmed" });

      // A: Delete with a code, keeping the session confirmed.
      await openMerchant(page, "Acme EU");
      await openKey(page, a);
      let dialog = await openDialog(page, "Delete", "Delete API key");
      await dialog.getByRole("checkbox").check();
      await dialog.getByRole("button", { name: "Next" }).click();
      const code = page.getByRole("dialog", { name: "Authenticator App" });
      await code.getByRole("checkbox", { name: /Don’t ask again for 5 minutes/ }).check();
      await snap(page, "sudo-code-step");
      await confirmWithCode(page, "Delete");
      await expect(page).toHaveURL(/\/developers$/);
      await expect(banner).toContainText(/Authenticator confirmed · [0-4]:[0-5]\d left/);
      await expectAccessible(page);
      await snap(page, "sudo-banner");

      // B: Delete again: no code step, the warning's button deletes.
      await openKey(page, b);
      dialog = await openDialog(page, "Delete", "Delete API key");
      await dialog.getByRole("checkbox").check();
      await expect(dialog.getByRole("button", { name: "Next" })).toHaveCount(0);
      await dialog.getByRole("button", { name: "Delete", exact: true }).click();
      await expect(page).toHaveURL(/\/developers$/);
      await expect(page.getByRole("dialog", { name: "Authenticator App" })).toHaveCount(0);
      await expect(page.getByRole("link", { name: b, exact: true })).toHaveCount(0);

      // C: Rotate still asks for a code (it shows a new secret).
      await openKey(page, c);
      dialog = await openDialog(page, "Rotate", "Choose when to revoke the existing key");
      await dialog.getByRole("button", { name: "Next" }).click();
      const warning = page.getByRole("dialog", { name: "Warning!" });
      await warning.getByRole("checkbox", { name: "I confirm rotating the API keys" }).check();
      await warning.getByRole("button", { name: "Next" }).click();
      await expect(code).toBeVisible();
      await expect(code.getByRole("checkbox", { name: /Don’t ask again/ })).toHaveCount(0);
      await code.getByRole("button", { name: "Cancel" }).click();

      // End now: the banner goes, and Delete asks for a code again.
      await banner.getByRole("button", { name: "End now" }).click();
      await expect(banner).toHaveCount(0);
      dialog = await openDialog(page, "Delete", "Delete API key");
      await dialog.getByRole("checkbox").check();
      await dialog.getByRole("button", { name: "Next" }).click();
      await expect(code).toBeVisible();
      await code.getByRole("button", { name: "Cancel" }).click();
    });
  } finally {
    await context.close();
  }
});
