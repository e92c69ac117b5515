// The HTTP edge, over raw requests against the production build: the local mailbox shows mail
// only to its recipient, no redirect target leaves the site, bodies over the limit and malformed
// server-action bodies get 4xx (never 500, never buffered), one address cannot hold every
// connection, and pages answer only under this install's host names (DNS rebinding).
import { connect, type Socket } from "node:net";
import type { APIRequestContext } from "@playwright/test";
import { currentOwner, expect, ownerSession, test } from "./fixtures";
import { invitationLink, inviteThroughDialog } from "./flows";
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS } from "../lib/server/request-limits";

const port = () => Number(new URL(test.info().project.use.baseURL!).port);

/** Opens a raw connection (optionally from another loopback address). */
function dial(localAddress?: string) {
  return new Promise<Socket>((resolve, reject) => {
    const s = connect({ host: "127.0.0.1", port: port(), localAddress }, () => resolve(s));
    s.once("error", reject);
  });
}

/** The status line and headers of the first answer on a socket, or null if it closes without one. */
function firstAnswer(s: Socket) {
  return new Promise<{ status: number; head: string } | null>((resolve) => {
    let text = "";
    s.on("error", () => {}); // the server may close while we still write
    s.on("data", (c) => {
      text += c.toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      if (end >= 0) resolve({ status: Number(text.slice(9, 12)), head: text.slice(0, end) });
    });
    s.on("close", () => resolve(null));
  });
}

async function send(head: string, body = "") {
  const s = await dial();
  const answer = firstAnswer(s);
  s.write(head + body);
  const res = await answer;
  s.destroy();
  return res;
}

test.describe("the local mailbox", () => {
  test("needs a signed-in user", async ({ request }) => {
    const res = await request.get("/dev/mailbox", { maxRedirects: 0 });
    expect(res.status()).toBe(307);
    expect(res.headers().location).toContain("/login");
    expect(await res.text()).not.toContain("invited");
  });

  test.describe("signed in", () => {
    test.use(ownerSession);

    test("shows only the user's own mail; an invitation link is in the server log", async ({ page }) => {
      const email = `edge-${Date.now().toString(36)}@example.test`;
      await page.goto("/merchants");
      await page.getByRole("link", { name: "Acme Payments", exact: true }).click();
      await page.getByRole("navigation", { name: "Merchant" }).getByRole("link", { name: "Members" }).click();
      const invite = await inviteThroughDialog(page, email, "Viewer");
      await invite.getByRole("button", { name: "Send invitation" }).click();
      await expect(invite).toBeHidden();
      const link = await invitationLink(page, email);
      expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
      // The mail is queued in the same transaction: it would be listed now if anyone's mail were.
      const res = await page.goto("/dev/mailbox");
      expect(res?.status()).toBe(200);
      await expect(page.getByRole("link", { name: "← Back to Keyport" })).toHaveAttribute("href", "/merchants");
      const html = await page.content();
      expect(html).not.toContain(email);
      expect(html).not.toContain(new URL(link).pathname);
      for (const to of await page.getByRole("list", { name: "Messages" }).getByRole("link").allTextContents())
        expect(to).toContain(`To ${currentOwner()}`);
    });

    test("the security page keeps only same-origin return paths", async ({ page, baseURL }) => {
      // The path reaches the page's client component as its returnTo prop, in the Flight data.
      const returnToProp = async (returnTo: string) => {
        const html = await (await page.request.get(`/security?returnTo=${encodeURIComponent(returnTo)}`)).text();
        const flight = [...html.matchAll(/self\.__next_f\.push\(\[1,("(?:[^"\\]|\\.)*")\]\)/g)]
          .map((m) => JSON.parse(m[1]) as string)
          .join("");
        const m = /(?<!\\)"returnTo":("(?:[^"\\]|\\.)*")/.exec(flight);
        return m ? (JSON.parse(m[1]) as string) : undefined;
      };
      expect(await returnToProp("/merchants?x=1")).toBe("/merchants?x=1"); // the control: the prop is found
      for (const evil of ["/\\evil.test/", "/\t/evil.test/", "//evil.test/", "/.//evil.test/"]) {
        const kept = await returnToProp(evil);
        if (kept !== undefined) expect(new URL(kept, baseURL).host, JSON.stringify(evil)).toBe(new URL(baseURL!).host);
      }
    });
  });
});

test.describe("request bodies", () => {
  test("a declared body over the limit is refused with 413 before it is sent", async () => {
    for (const path of ["/login", "/merchants", "/api/auth/callback/credentials", "/api/v1/keys/verify"]) {
      const res = await send(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nContent-Type: text/plain\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n`,
      );
      expect(res?.status, path).toBe(413);
    }
  });

  test("a chunked body is cut off at the limit with 413", async ({ baseURL }) => {
    const s = await dial();
    const answer = firstAnswer(s);
    s.write(
      `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nOrigin: ${baseURL}\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    const chunk = `400\r\n${"x".repeat(1024)}\r\n`;
    for (let i = 0; i <= DEFAULT_MAX_BODY_BYTES / 1024 && !s.destroyed; i++) s.write(chunk);
    expect((await answer)?.status).toBe(413);
    s.destroy();
  });
});

test.describe("server actions", () => {
  let actionId: string;
  test.beforeAll(async ({ request }) => {
    // The login form renders its action's id for the no-JavaScript fallback.
    const html = await (await request.get("/login")).text();
    actionId = /(?:"|&quot;)id(?:"|&quot;):(?:"|&quot;)([0-9a-f]{40,})/.exec(html)![1];
  });

  const post = (request: APIRequestContext, baseURL: string, data: string | Buffer, type = "text/plain;charset=UTF-8") =>
    request.post("/login", { headers: { "Next-Action": actionId, Origin: baseURL, "content-type": type }, data, maxRedirects: 0 });

  test("malformed Flight arguments get 400, even signed out", async ({ request, baseURL }) => {
    for (const data of ['["$Q"]', '["$Z"]', '[{}, "$Q"]', '[{}, "$K1", "$Z"]', '["$1"]', '["$nxyz"]', "{"]) {
      const res = await post(request, baseURL!, data);
      expect(res.status(), data).toBe(400);
    }
    const boundary = "----edge";
    const multipart = (rows: Record<string, string>) =>
      Object.entries(rows)
        .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
        .join("") + `--${boundary}--\r\n`;
    for (const rows of [{ "0": '["$Q"]' }, { "0": '[{}, "$K1"]', "1": "$Z" }, { "0": '["$Z"]' }, { "1": "[]" }] as Record<
      string,
      string
    >[]) {
      const res = await post(request, baseURL!, multipart(rows), `multipart/form-data; boundary=${boundary}`);
      expect(res.status(), JSON.stringify(rows)).toBe(400);
    }
  });

  test("a chunked action body under the limit reaches the action", async ({ baseURL }) => {
    const body = '[{}, "$K1"]';
    const res = await send(
      `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nOrigin: ${baseURL}\r\nNext-Action: ${actionId}\r\nContent-Type: text/plain;charset=UTF-8\r\nTransfer-Encoding: chunked\r\n\r\n`,
      `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    );
    expect(res?.status).toBe(200); // the login action answered (with its own field errors)
  });

  test("a well-formed call still works, and a 3 MB body gets 413", async ({ request, baseURL }) => {
    const ok = await post(request, baseURL!, '[{}, "$K1"]');
    expect(ok.status()).toBeLessThan(500);
    expect(ok.status()).not.toBe(400);
    // Over a raw socket: the server answers 413 from the headers and closes, so a client still
    // writing the 3 MB may see the connection reset before it reads the answer.
    const big = await send(
      `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nOrigin: ${baseURL}\r\nNext-Action: ${actionId}\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: ${3 * 1024 * 1024}\r\n\r\n`,
    );
    expect(big?.status).toBe(413);
  });
});

test("one address cannot hold every connection; others are still served", async ({ request }) => {
  // From 127.0.0.2, so the other tests' connections (from 127.0.0.1) are not the ones counted.
  const held: Socket[] = [];
  try {
    for (let i = 0; i < DEFAULT_MAX_CONNECTIONS_PER_ADDRESS; i++) held.push(await dial("127.0.0.2"));
    const extra = await dial("127.0.0.2");
    expect(await firstAnswer(extra), "the connection over the limit is closed unanswered").toBeNull();
    // A connection the server kept still answers; so does another address.
    const answer = firstAnswer(held[0]);
    held[0].write(`GET /login HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\n\r\n`);
    expect((await answer)?.status).toBe(200);
    expect((await request.get("/login")).status()).toBe(200);
  } finally {
    held.forEach((s) => s.destroy());
  }
});

test.describe("host names (DNS rebinding)", () => {
  test("pages answer only under this install's names", async () => {
    for (const host of ["evil.test", "evil.test:80", "127.0.0.1.nip.io", "localhost.evil.test"]) {
      const res = await send(`GET /login HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(res?.status, host).toBe(421);
    }
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, `[::1]:${port()}`]) {
      const res = await send(`GET /login HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(res?.status, host).toBe(200);
    }
  });

  test("the verification API answers under any name (it is called server-to-server)", async () => {
    const body = '{"key":"kp_live_x"}';
    const res = await send(
      `POST /api/v1/keys/verify HTTP/1.1\r\nHost: verify.internal.example\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
      body,
    );
    expect(res?.status).not.toBe(421);
    expect(res?.status).toBeLessThan(500);
  });
});
