// The README's verification examples, run as written with bash and curl: only the host, the key
// and the username and password are filled in.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test, expect, ownerSession, openMerchant } from "./fixtures";
import { openDialog } from "./flows";

test.use(ownerSession);

test("the README's two verify examples answer VALID as written", async ({ page, baseURL }) => {
  const readme = readFileSync(join(process.cwd(), "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Verification API"));
  const lines = /```sh\n([\s\S]*?)```/
    .exec(section)![1]
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("curl"));
  expect(lines).toHaveLength(2);

  // A production key with payments:write, and an HTTP key with its own username and password.
  const tag = randomBytes(3).toString("hex");
  const username = `readme-${tag}`;
  const password = `Readme-verify-${tag}-pass-42`;
  await openMerchant(page, "Acme Payments");
  const open = () => openDialog(page, "+ Create API Key", "Create API Key");
  const create = await open();
  await create.getByLabel("Name", { exact: true }).fill(`README live ${tag}`);
  await create.getByRole("radio", { name: "Production" }).check();
  await create.getByRole("checkbox", { name: "payments:write" }).check();
  await create.getByRole("button", { name: "Create API Key" }).click();
  const reveal = page.getByRole("dialog", { name: "API key created" });
  const secret = (await reveal.getByTestId("revealed-secret").textContent())!.trim();
  await reveal.getByRole("checkbox", { name: "I have saved this secret key" }).check();
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(reveal).toBeHidden();
  await open();
  await create.getByLabel("Name", { exact: true }).fill(`README basic ${tag}`);
  await create.getByLabel("Channel").selectOption({ label: "HTTP" });
  await create.getByRole("radio", { name: "Own username and password" }).check();
  await create.getByLabel("Username", { exact: true }).fill(username);
  await create.getByLabel("Password", { exact: true }).fill(password);
  await create.getByRole("button", { name: "Create API Key" }).click();
  await reveal.getByRole("checkbox", { name: "I have saved this secret key" }).check();
  await reveal.getByRole("button", { name: "Done" }).click();

  const host = new URL(baseURL!).host;
  const filled = [
    lines[0].replace("localhost:3000", host).replace("kp_live_…", secret),
    lines[1].replace("localhost:3000", host).replace("sftp-user:their-password", `${username}:${password}`),
  ];
  expect(filled).not.toEqual(lines);
  for (const line of filled) {
    const out = JSON.parse(execFileSync("bash", ["-euo", "pipefail", "-c", line], { encoding: "utf8" }));
    expect(out, line.replace(/-u '[^']*'|kp_live_\w+/g, "…")).toMatchObject({ valid: true, outcome: "VALID" });
  }
});
