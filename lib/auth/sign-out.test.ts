// next-auth's own POST /api/auth/signout, through Auth.js with the app's session settings and
// events: clearing the cookie is not enough, the session id must be revoked so that a saved copy
// of the cookie stops working.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/lib/db/client";

const ctx = vi.hoisted(() => ({ db: null as unknown as Database }));
vi.mock("@/lib/db/client", async (orig) => ({ ...(await orig<typeof import("@/lib/db/client")>()), getDb: async () => ctx.db.prisma }));

import { Auth } from "@auth/core";
import { encode } from "@auth/core/jwt";
import { createTestDatabase } from "@/lib/testing/db";
import { createUser } from "@/prisma/factories";
import { authConfig } from "./config";
import { authEvents } from "./events";

const BASE = "http://localhost:3000/api/auth";
const COOKIE = "authjs.session-token";
const SECRET = "sign-out-test-secret-0123456789abcdef";
const options = { ...authConfig, events: authEvents, secret: SECRET, basePath: "/api/auth", trustHost: true } as Parameters<typeof Auth>[1];

beforeAll(async () => (ctx.db = await createTestDatabase()));
afterAll(async () => ctx.db?.close());

const cookiePairs = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]);

describe("sign-out through next-auth's own endpoint", () => {
  it("revokes the session id, not only the cookie", async () => {
    const user = await createUser(ctx.db.prisma);
    const sid = randomUUID();
    const token = await encode({
      token: { uid: user.id, sv: 0, sid, authAt: Math.floor(Date.now() / 1000), email: user.email, name: user.name },
      secret: SECRET,
      salt: COOKIE,
    });
    const csrf = await Auth(new Request(`${BASE}/csrf`), options);
    const { csrfToken } = await csrf.json();
    const res = await Auth(
      new Request(`${BASE}/signout`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: [...cookiePairs(csrf), `${COOKIE}=${token}`].join("; ") },
        body: new URLSearchParams({ csrfToken, callbackUrl: "/login" }),
      }),
      options,
    );
    expect(res.status).toBe(302);
    expect(cookiePairs(res)).toContain(`${COOKIE}=`); // the cookie is cleared…
    const revoked = await ctx.db.prisma.revokedSession.findUnique({ where: { id: sid } }); // …and its id refused from now on
    expect(revoked?.userId).toBe(user.id);
  });
});
