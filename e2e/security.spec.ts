// The adversarial suite, over HTTP against the production build: tenancy on every route that
// takes an id (the list comes from app/), access-control bypass headers, malformed Authorization,
// tampered sessions, security headers, the same-origin rule, a bad-input corpus (0 answers ≥ 500)
// and a flow with known secrets whose every response is kept for the leak scan.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { test, expect, ownerSession, signIn, signedOutContext, USERS, openKey } from "./fixtures";
import { demoOwnerState } from "./owners";
import { invitationLink, inviteThroughDialog, newKey, rotate, startTotpSetup } from "./flows";
import { freshCode } from "./otp";
import { createManagementToken } from "./management-token";

// ── Routes that take an id, read from the app directory ────────────────────────────────────────
function pageRoutes(dir = join(process.cwd(), "app")): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...pageRoutes(full));
    else if (entry === "page.tsx") {
      const route =
        "/" +
        relative(join(process.cwd(), "app"), dir)
          .split(sep)
          .filter((s) => s && !/^\(.*\)$/.test(s))
          .join("/");
      out.push(route === "/" ? "/" : route);
    }
  }
  return out;
}
const ID_ROUTES = pageRoutes().filter((r) => /\[(merchantId|keyId)\]/.test(r));

interface AcmeIds {
  merchantId: string;
  keyId: string;
}
async function acmeIds(page: Page): Promise<AcmeIds> {
  await page.goto("/merchants");
  await page.getByRole("link", { name: "Acme Payments", exact: true }).click();
  await openKey(page, "Checkout backend");
  await page.waitForURL(/\/developers\/keys\//);
  const m = /\/merchants\/([0-9a-f-]{36})\/developers\/keys\/([0-9a-f-]{36})/.exec(page.url());
  return { merchantId: m![1], keyId: m![2] };
}
const fill = (route: string, ids: AcmeIds) => route.replace("[merchantId]", ids.merchantId).replace("[keyId]", ids.keyId);
const ACME_DATA = ["Acme Payments", "Checkout backend", "owner@acme.test", "kp_live_", "kp_test_"];
const noAcmeData = (body: string) => ACME_DATA.filter((s) => body.includes(s));

let ids: AcmeIds;
test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ storageState: demoOwnerState(), baseURL: test.info().project.use.baseURL });
  ids = await acmeIds(await context.newPage());
  await context.close();
});

test("tenancy: every id route answers 404 to a user of another merchant, for pages and (as not-found) RSC requests", async ({ page }) => {
  expect(ID_ROUTES.length).toBeGreaterThanOrEqual(4);
  await signIn(page, USERS.globex);
  for (const route of ID_ROUTES) {
    const url = fill(route, ids);
    const res = await page.goto(url);
    expect(res?.status(), url).toBe(404);
    expect(noAcmeData(await page.content()), url).toEqual([]);
    for (const headers of [{ RSC: "1" }, { RSC: "1", "Next-Router-Prefetch": "1" }] as Record<string, string>[]) {
      // Next.js first sends an RSC request without its cache-busting `_rsc` parameter to the same
      // path with one (307); the answer that matters is the one at the end of that redirect. A
      // streamed RSC payload cannot change its status once it started: it is a 404, or a 200
      // whose payload is Next's not-found (notFound()'s digest), never the page.
      const rsc = await page.request.get(url, { headers, maxRedirects: 2 });
      const text = await rsc.text();
      const what = `${url} ${JSON.stringify(headers)}`;
      // A prefetch answers the route tree only (segment names and the ids already in the URL).
      if (rsc.status() !== 404) {
        expect(rsc.status(), what).toBe(200);
        if (!headers["Next-Router-Prefetch"]) expect(text, what).toContain("NEXT_HTTP_ERROR_FALLBACK;404");
      }
      expect(noAcmeData(text), what).toEqual([]);
    }
  }
});

const BYPASS_HEADERS: Record<string, string>[] = [
  { "x-middleware-subrequest": "middleware" },
  { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
  { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
  { "x-middleware-subrequest": "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware" },
  { "x-middleware-subrequest": "src/proxy:src/proxy:src/proxy:src/proxy:src/proxy" },
  { RSC: "1" },
  { RSC: "1", "Next-Router-Prefetch": "1" },
  { "Next-Router-State-Tree": encodeURIComponent(JSON.stringify(["", { children: ["merchants", {}] }, null, null, true])) },
  { "x-nextjs-data": "1" },
  { Purpose: "prefetch", "Sec-Purpose": "prefetch" },
  { "x-invoke-path": "/merchants", "x-invoke-query": "{}" },
  { "x-forwarded-host": "evil.test", "x-forwarded-proto": "https" },
  { Authorization: "Basic YWRtaW46YWRtaW4=" },
];

test("bypass headers on protected URLs reveal nothing to a signed-out visitor", async ({ request }) => {
  const urls = ["/merchants", "/security", ...ID_ROUTES.map((r) => fill(r, ids))];
  for (const url of urls) {
    for (const headers of BYPASS_HEADERS) {
      const res = await request.get(url, { headers, maxRedirects: 0 });
      const what = `${url} ${JSON.stringify(headers)}`;
      expect(res.status(), what).not.toBe(200);
      expect(res.status(), what).toBeLessThan(500);
      expect(noAcmeData(await res.text()), what).toEqual([]);
    }
  }
});

test("a malformed Authorization header gets 401, never 500", async ({ request }) => {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  for (const authorization of [
    "Basic",
    "Basic ",
    "Basic !!!!",
    `Basic ${b64("no-colon-here")}`,
    `Basic ${b64(":empty-user")}`,
    `Basic ${"A".repeat(5000)}`,
    "Bearer abc.def.ghi",
    "Digest username=x",
    "basic",
    "Basic\tx",
  ]) {
    const res = await request.post("/api/v1/keys/verify", { headers: { authorization } });
    expect(res.status(), authorization.slice(0, 40)).toBe(401);
    expect((await res.json()).error).toBe("invalid_authorization");
  }
  for (const authorization of ["Basic !!!!", "Bearer x", "Basic " + "A".repeat(5000)]) {
    const res = await request.get("/merchants", { headers: { authorization }, maxRedirects: 0 });
    expect(res.status()).toBeLessThan(500);
  }
});

test("a tampered session token is refused", async ({ browser, baseURL }) => {
  // The owner's real session token, from the saved state: no page of this test is open while the
  // cookie is swapped, so no in-flight prefetch can hand a fresh valid token back meanwhile.
  const state = JSON.parse(readFileSync(demoOwnerState(), "utf8")) as { cookies: { name: string; value: string }[] };
  const session = state.cookies.find((c) => c.name.includes("session-token"))!;
  const parts = session.value.split(".");
  expect(parts).toHaveLength(5);
  const at = Math.floor(parts[3].length / 2);
  // One character of the ciphertext changed (in the middle, where every bit counts), the parts
  // reordered, an unsigned token, garbage; and, as a control, the untouched token.
  const flipped = [
    ...parts.slice(0, 3),
    parts[3].slice(0, at) + (parts[3][at] === "A" ? "g" : "A") + parts[3].slice(at + 1),
    parts[4],
  ].join(".");
  for (const [value, valid] of [
    [flipped, false],
    [[...parts].reverse().join("."), false],
    ["eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", false],
    ["garbage", false],
    [session.value, true],
  ] as const) {
    const { context } = await signedOutContext(browser);
    await context.addCookies([{ name: session.name, value, url: baseURL! }]);
    const res = await context.request.get("/merchants", { maxRedirects: 0 });
    expect(res.status(), value.slice(-12)).toBe(valid ? 200 : 307);
    if (!valid) expect(res.headers().location).toContain("/login");
    await context.close();
  }
});

test("security headers: a per-request CSP nonce, no framing, nosniff, no-store", async ({ page, request }) => {
  const a = await request.get("/login");
  const b = await request.get("/login");
  const csp = a.headers()["content-security-policy"];
  for (const d of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"]) expect(csp).toContain(d);
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(/'nonce-([^']+)'/.exec(b.headers()["content-security-policy"])?.[1]).not.toBe(nonce);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  const html = await a.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const s of scripts) expect(s, s).toContain(`nonce="${nonce}"`);
  const h = a.headers();
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["cross-origin-opener-policy"]).toBe("same-origin");
  expect(h["strict-transport-security"]).toBeUndefined(); // only with KEYPORT_ENV=production (unit-tested)
  expect(h["cache-control"]).toContain("no-store");
  // A page that works with CSP on: it hydrates (the password field reacts) and nothing was blocked.
  const violations: string[] = [];
  page.on("console", (m) => m.type() === "error" && /Content Security Policy/i.test(m.text()) && violations.push(m.text()));
  await page.goto("/login");
  await page.getByLabel("E-mail").fill("nobody@acme.test");
  await page.getByLabel("Password").fill("x");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Incorrect" })).toBeVisible();
  expect(violations).toEqual([]);
});

test("state-changing requests from another site, or without an Origin, are refused", async ({ request, baseURL }) => {
  for (const headers of [
    {},
    { Origin: "https://evil.test" },
    { Origin: "null" },
    { Origin: baseURL!, "Sec-Fetch-Site": "cross-site" },
  ] as Record<string, string>[]) {
    for (const url of ["/api/auth/signout", "/api/auth/callback/credentials", "/merchants", "/login"]) {
      const res = await request.post(url, {
        headers: { ...headers, "Next-Action": "0".repeat(40), "content-type": "text/plain" },
        data: "[]",
        maxRedirects: 0,
      });
      expect(res.status(), `${url} ${JSON.stringify(headers)}`).toBe(403);
      expect((await res.json()).error).toBe("cross_origin_request");
    }
  }
  // The same request from the site itself is not refused by the rule (an unknown action is a 404).
  const own = await request.post("/login", {
    headers: { Origin: baseURL!, "Next-Action": "0".repeat(40), "content-type": "text/plain" },
    data: "[]",
    maxRedirects: 0,
  });
  expect(own.status()).not.toBe(403);
  expect(own.status()).toBeLessThan(500);
});

async function statuses(
  request: APIRequestContext,
  calls: { method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE"; url: string; data?: string; headers?: Record<string, string> }[],
) {
  const bad: string[] = [];
  for (const c of calls) {
    const res =
      c.method === "GET"
        ? await request.get(c.url, { maxRedirects: 0, headers: c.headers })
        : await request.fetch(c.url, { method: c.method, data: c.data ?? "", headers: c.headers, maxRedirects: 0 });
    if (res.status() >= 500) bad.push(`${c.method} ${c.url.slice(0, 80)} ${(c.data ?? "").slice(0, 60)} → ${res.status()}`);
  }
  return bad;
}

test("bad input against every route: no answer is a server error", async ({ browser, request, baseURL }) => {
  const json = { "content-type": "application/json" };
  const VERIFY = "/api/v1/keys/verify";
  const bodies = [
    "x".repeat(5000),
    "{",
    "[]",
    "null",
    "42",
    '"kp_live_x"',
    '{"key": 5}',
    '{"key": {"$ne": null}}',
    '{"key": ["a"]}',
    '{"__proto__": {"key": "x"}}',
    '{"constructor": {"prototype": {"valid": true}}}',
    '{"key": "kp_live_aaaa", "permissions": "all"}',
    '{"key": "kp_live_aaaa", "permissions": [1, 2]}',
    `{"key": "${"k".repeat(3000)}"}`,
    '{"key": "kp_live_\\u0000"}',
    '{"key": "kp_live_оwner"}',
    `{"permissions": [${'"a",'.repeat(50)}"a"]}`,
    "\u0000\u0001",
  ];
  const verifyCalls = [
    ...bodies.map((data) => ({ method: "POST" as const, url: VERIFY, data, headers: json })),
    { method: "GET" as const, url: VERIFY },
    { method: "POST" as const, url: `${VERIFY}?key=kp_live_x`, data: "{}", headers: json },
    { method: "POST" as const, url: VERIFY, data: '{"key":"x"}', headers: { "content-type": "text/plain", "content-length": "99999" } },
  ];
  const ownerContext = await browser.newContext({ storageState: demoOwnerState(), baseURL });
  const dev = `/merchants/${ids.merchantId}/developers`;
  const pageCalls = [
    `${dev}?q=%00`,
    `${dev}?q=${"%F0%9F%92%A9".repeat(200)}`,
    `${dev}?page=-5&sort=__proto__&dir=sideways&env=%3Cscript%3E&channel=constructor`,
    `${dev}?page=99999999999999999999`,
    `${dev}?q[]=a&q[]=b&env[]=x`,
    `/merchants/%00/developers`,
    `/merchants/'%20OR%201=1--/developers`,
    `${dev}/keys/not-a-uuid`,
    `${dev}/keys/00000000-0000-0000-0000-000000000000`,
    `${dev}/keys/%00`,
    `${dev}/credentials?env=__proto__`,
    `/merchants/${ids.merchantId}/members?x=%00`,
    `/merchants?q=%00`,
    `/merchants?q=${"a".repeat(10000)}`,
    "/invite/%00",
    "/invite/x",
    `/invite/${"A".repeat(43)}`,
    `/invite/${"%E2%80%8B".repeat(30)}`,
    "/dev/mailbox?id=not-a-uuid",
    "/dev/mailbox?id=%00",
    "/security?enrol=%00",
    "/login?callbackUrl=%00&email=%00",
  ].map((url) => ({ method: "GET" as const, url }));
  const authCalls = [
    "",
    "email=%00&password=x",
    `email=${"a".repeat(5000)}@x.test&password=x`,
    "challenge=garbage&otp=123456",
    "csrfToken=x&email[]=a",
  ].map((data) => ({
    method: "POST" as const,
    url: "/api/auth/callback/credentials",
    data,
    headers: { "content-type": "application/x-www-form-urlencoded", Origin: baseURL! },
  }));
  // The management API: the same corpus with a real token (all scopes), on keys that do not exist
  // (so nothing is changed), garbage ids and tokens, and bad query strings.
  const { token, merchantId } = await createManagementToken(await ownerContext.newPage(), { name: "Bad input corpus" });
  const api = `/api/v1/merchants/${merchantId}`;
  const none = "00000000-0000-0000-0000-000000000000";
  const bearer = { ...json, authorization: `Bearer ${token}` };
  const apiCalls = [
    ...[`${api}/keys`, `${api}/keys/${none}/rotate`, `${api}/keys/${none}/extend`, `${api}/keys/${none}/disable`].flatMap((url) =>
      bodies.map((data) => ({ method: "POST" as const, url, data, headers: bearer })),
    ),
    ...bodies.slice(0, 8).map((data) => ({ method: "PATCH" as const, url: `${api}/keys/${none}`, data, headers: bearer })),
    ...bodies.slice(0, 8).map((data) => ({ method: "PUT" as const, url: `${api}/keys/${none}/ip-allow-list`, data, headers: bearer })),
    { method: "POST" as const, url: `${api}/keys`, data: "{}", headers: { ...bearer, "idempotency-key": "x".repeat(300) } },
    { method: "POST" as const, url: `${api}/keys`, data: "{}", headers: { ...bearer, "content-type": "text/plain" } },
    { method: "DELETE" as const, url: `${api}/keys/${none}?version=-1`, headers: bearer },
    ...[
      `${api}/keys?q=%00`,
      `${api}/keys?cursor=${"A".repeat(150)}`,
      `${api}/keys?limit=1e9&environment=__proto__`,
      `${api}/keys?q[]=a&q[]=b`,
      `${api}/keys/not-a-uuid`,
      `${api}/keys/%00`,
      `${api}/audit-events?keyId=x&cursor=%E2%80%8B`,
      `/api/v1/merchants/%00/keys`,
      `/api/v1/merchants/'%20OR%201=1--/keys`,
      `/api/v1/merchants/${none}/keys`,
    ].map((url) => ({ method: "GET" as const, url, headers: bearer })),
    ...[
      `Bearer kpm_${"a".repeat(5000)}`,
      `Bearer ${token.slice(0, -1)}x`,
      `Basic ${Buffer.from(`x:${token}`).toString("base64")}`,
      "Bearer",
    ].map((authorization) => ({ method: "GET" as const, url: `${api}/keys`, headers: { authorization } })),
  ];
  const bad = [
    ...(await statuses(request, [...verifyCalls, ...authCalls, ...apiCalls])),
    ...(await statuses(ownerContext.request, pageCalls)),
  ];
  await ownerContext.close();
  expect(bad).toEqual([]);
});

type Captured = { url: string; action: boolean; body: string };
/**
 * Every text answer a page gets. A server action's answer (where a new secret travels) is taken
 * through the route, so it is always read in full; the others are read as they arrive (the reads
 * are awaited), and one Chrome no longer has once the page moved on is named in `unread`.
 */
async function capture(page: Page, into: Captured[], unread: string[], reads: Promise<void>[]) {
  await page.route("**/*", async (route) => {
    const req = route.request();
    if (req.method() !== "POST" || !req.headers()["next-action"]) return route.fallback();
    try {
      const res = await route.fetch({ maxRedirects: 0 });
      const body = await res.body();
      into.push({ url: req.url(), action: true, body: body.toString("utf8") });
      await route.fulfill({ response: res, body });
    } catch (e) {
      unread.push(`action ${req.url()}: ${(e as Error).message.split("\n")[0]}`);
      await route.abort().catch(() => {});
    }
  });
  page.on("response", (r) => {
    const type = r.headers()["content-type"] ?? "";
    if (r.request().headers()["next-action"] || !/text\/html|text\/x-component|application\/json|text\/plain/.test(type)) return;
    reads.push(
      r.text().then(
        (body) => void into.push({ url: r.url(), action: false, body }),
        (e: Error) => void unread.push(`${r.url()}: ${e.message.split("\n")[0]}`),
      ),
    );
  });
}

test.describe("secrets", () => {
  test.use(ownerSession);

  test("flows with known secrets: no secret, hash or TOTP seed reaches a page, an RSC payload or a refresh", async ({
    page,
    request,
    browser,
  }) => {
    const dir = join(process.env.KEYPORT_E2E_DATA_DIR!, "leak");
    mkdirSync(join(dir, "responses"), { recursive: true });
    const captured: Captured[] = [];
    const unread: string[] = [];
    const reads: Promise<void>[] = [];
    await capture(page, captured, unread, reads);
    // Key secrets: created, verified (right and wrong), rotated.
    const secret = await newKey(page, `E2E leak ${Date.now().toString(36)}`);
    for (const key of [secret, secret + "x"]) await request.post("/api/v1/keys/verify", { data: { key } });
    const rotated = await rotate(page, "1 hour");
    await request.post("/api/v1/keys/verify", { data: { key: rotated } });
    await page.reload();
    await page.goto(`/merchants/${ids.merchantId}/developers/credentials`);
    await page.goto(`/merchants/${ids.merchantId}/developers`);

    // A TOTP seed nobody else knows: a new member (invited by mail) enrols an authenticator app.
    const email = `leak-${Date.now().toString(36)}@example.test`;
    const password = "quiet meadow lantern 77";
    await page.goto(`/merchants/${ids.merchantId}/members`);
    const invite = await inviteThroughDialog(page, email, "Viewer");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await expect(invite).toBeHidden();
    const link = await invitationLink(page, email);
    const { context, page: member } = await signedOutContext(browser);
    await capture(member, captured, unread, reads);
    await member.goto(link);
    await member.getByLabel("Your name").fill("Lee Leak");
    await member.getByLabel("Password", { exact: true }).fill(password);
    await member.getByRole("button", { name: "Create account and join" }).click();
    await expect(member).toHaveURL(/\/developers$/); // signed in at once
    await member.goto("/security");
    const seed = await startTotpSetup(member, password);
    await member.getByLabel("Authentication code").fill(await freshCode(email, seed));
    await member.getByRole("button", { name: "Verify and turn on" }).click();
    const items = member.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
    await expect(items).toHaveCount(10); // allTextContents() does not wait for the list to appear
    const codes = (await items.allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    await member.reload();
    await member.goto("/merchants");
    await Promise.all(reads); // before the member's context closes, which would drop its answers
    await context.close();
    await page.goto("/dev/mailbox");
    await page.getByRole("list", { name: "Messages" }).waitFor();
    await Promise.all(reads);
    // Chrome drops some bodies once the page has moved on (prefetched RSC payloads above all): they
    // are named in the run's leak directory, not swallowed. No action's answer may be among them,
    // and the answers of the actions that issued the two key secrets were read.
    expect(unread.filter((u) => u.startsWith("action "))).toEqual([]);
    writeFileSync(join(dir, "unread.txt"), unread.join("\n"));
    test.info().annotations.push({ type: "unread responses", description: String(unread.length) });

    const secrets = [secret, rotated];
    const hashes = secrets.map((s) => createHash("sha256").update(s).digest("hex"));
    writeFileSync(join(dir, "known.json"), JSON.stringify({ secrets: [...secrets, ...codes], hashes, seeds: [seed] }));
    captured.forEach((c, i) =>
      writeFileSync(join(dir, "responses", `${String(i).padStart(4, "0")}${c.action ? ".action" : ""}.txt`), `${c.url}\n${c.body}`),
    );
    expect(captured.length).toBeGreaterThan(20);
    for (const s of [secret, rotated])
      expect(
        captured.some((c) => c.action && c.body.includes(s)),
        "the issuing action was read",
      ).toBe(true);
    const hits: string[] = [];
    for (const c of captured) {
      // A secret, a seed or a recovery code is answered once, by the action that creates it, to the
      // dialog that shows it; nothing else may carry it, and no answer may carry a hash.
      const needles = c.action ? hashes : [...secrets, ...codes, seed, ...hashes];
      for (const n of needles) if (c.body.includes(n)) hits.push(`${c.url}${c.action ? " (action)" : ""} contains ${n.slice(0, 12)}…`);
    }
    expect(hits).toEqual([]);
  });
});
