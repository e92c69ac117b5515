// The third outside attack's small holes, over HTTP against the production build: webhook URLs
// that hide a private IPv4 address inside an IPv6 one, raw Flight values as an action's fields,
// and the data directory's permissions while the server runs.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { Request } from "@playwright/test";
import { test, expect, ownerSession, openMerchant } from "./fixtures";
import { newKey, openDialog, clickUntilVisible } from "./flows";

test.use(ownerSession);
const hex = () => randomBytes(3).toString("hex");

test("webhook URLs that carry a private IPv4 address inside an IPv6 one are refused when saved", async ({ page }) => {
  const keyName = `E2E hole signer ${hex()}`;
  await newKey(page, keyName);
  await page.getByRole("link", { name: "All API keys" }).click();
  await page.getByRole("link", { name: "Webhooks", exact: true }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Webhooks" })).toBeVisible();
  await page.getByRole("link", { name: "Sandbox", exact: true }).click();
  // On the sandbox list before the dialog opens: a navigation landing after it would close it.
  await expect(page.getByRole("link", { name: "Sandbox", exact: true })).toHaveAttribute("aria-current", "page");
  const dialog = page.getByRole("dialog", { name: "Add endpoint" });
  await clickUntilVisible(page.getByRole("button", { name: "+ Add endpoint" }), dialog);
  await dialog.getByLabel("Signing key").selectOption({ label: keyName });
  // The form says what this server accepts (it runs with KEYPORT_WEBHOOKS_ALLOW_PRIVATE=1).
  await expect(dialog.getByText("Loopback addresses are allowed here (KEYPORT_WEBHOOKS_ALLOW_PRIVATE=1)", { exact: false })).toBeVisible();
  // The e2e server allows loopback (KEYPORT_WEBHOOKS_ALLOW_PRIVATE=1), so these name private,
  // link-local and metadata addresses: IPv4-compatible, NAT64, 6to4 and IPv4-translated forms.
  for (const url of [
    "http://[::10.0.0.1]/hooks",
    "http://[::a9fe:a9fe]/latest",
    "http://[64:ff9b::192.168.1.1]/hooks",
    "http://[2002:a9fe:a9fe::]/hooks",
    "http://[::ffff:0:10.1.2.3]/hooks",
  ]) {
    await dialog.getByLabel("Endpoint URL").fill(url);
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    await expect(dialog.getByText(/private, loopback, link-local/).first(), url).toBeVisible();
  }
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("link", { name: /\[/ })).toHaveCount(0);
});

test("a raw Flight value as a field of a server action is refused with VALIDATION, never an internal error", async ({ page }) => {
  await openMerchant(page, "Acme Payments");
  const create = await openDialog(page, "+ Create API Key", "Create API Key");
  const name = `E2E flight ${hex()}`;
  await create.getByLabel("Name").fill(name);
  // The real createKeyAction request, with the name swapped for a raw "$T" on its way out.
  let sent: Request | undefined;
  await page.route("**/merchants/**", async (route) => {
    const req = route.request();
    if (req.method() !== "POST" || !req.headers()["next-action"] || !req.postData()?.includes(name)) return route.fallback();
    sent = req;
    await route.continue({ postData: req.postData()!.replace(`"${name}"`, '"$T"') });
  });
  await create.getByRole("button", { name: "Create API Key" }).click();
  await expect(create.getByText("Some fields are not valid.").or(create.getByRole("alert")).first()).toBeVisible();
  await expect(page.getByRole("dialog", { name: "API key created" })).toHaveCount(0);
  await page.unroute("**/merchants/**");
  expect(sent).toBeDefined();

  // Every Flight tag, replayed as the same request with the session's cookies.
  const headers = { ...sent!.headers() };
  for (const h of ["content-length", "cookie", "host"]) delete headers[h];
  const body = sent!.postData()!;
  for (const tag of [..."TQWZ@FKhDnBiRrXxEYSlAOoUsLGgMmVbJ"].map((t) => `$${t}`)) {
    const res = await page.request.post(sent!.url(), { headers, data: body.replace(`"${name}"`, JSON.stringify(tag)) });
    const text = await res.text();
    expect(res.status(), tag).toBeLessThan(500);
    expect(text, tag).not.toContain('"INTERNAL"');
    // Refused at the edge (a reference to a row that is not there: 400) or by the action (VALIDATION).
    if (res.status() === 200) expect(text, tag).toContain('"code":"VALIDATION"');
    else expect(res.status(), tag).toBe(400);
  }
  // The tags that decode on their own (as the attack sent them) reach the action and get VALIDATION.
  for (const tag of ["$T", "$@", "$K", "$D", "$n"]) {
    const res = await page.request.post(sent!.url(), { headers, data: body.replace(`"${name}"`, JSON.stringify(tag)) });
    expect(res.status(), tag).toBe(200);
    expect(await res.text(), tag).toContain('"code":"VALIDATION"');
  }
  await openMerchant(page, "Acme Payments");
  await expect(page.getByRole("link", { name: "$T", exact: true })).toHaveCount(0);
});

test("the running server's data directory gives others nothing", async () => {
  const dir = process.env.KEYPORT_E2E_DATA_DIR!;
  // What the test harness itself keeps there (captured responses, codes, its log and session) is left out.
  const harness = ["leak", "otp", "server.log", "owner-state.json"].flatMap((n) => ["-path", `${dir}/${n}`, "-o"]).slice(0, -1);
  const found = spawnSync("find", [dir, "(", ...harness, ")", "-prune", "-o", "-perm", "/007", "-print"], { encoding: "utf8" });
  expect(found.status).toBe(0);
  expect(found.stdout).toBe("");
});
