import NextAuth from "next-auth";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { authConfig } from "@/lib/auth/config";
import { authSecret } from "@/lib/auth/secret";
import { contentSecurityPolicy } from "@/lib/server/security-headers";
import { isProduction } from "@/lib/env";

// Runs before every page: sets the per-request CSP nonce, re-issues the session cookie (sliding
// 30-minute idle expiry) and sends signed-out visitors of the dashboard to the login page. Pages
// and actions check the session themselves as well; this is not the only guard.
const { auth } = NextAuth(() => ({ ...authConfig, secret: authSecret() }));

const PUBLIC = [/^\/login$/, /^\/api\/auth\//, /^\/invite\//];

function withNonce(req: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(req.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp); // Next reads the nonce from here for its own scripts
  return { headers, csp };
}

// With a lazy config, next-auth's wrapper resolves asynchronously: await it per request.
const guarded = auth((req) => {
  const { pathname, search } = req.nextUrl;
  // The mailbox does not exist in production: 404 for everyone, not a sign-in page.
  if (isProduction() && /^\/dev(\/|$)/.test(pathname))
    return new NextResponse("Not found", { status: 404, headers: { "content-type": "text/plain" } });
  const { headers, csp } = withNonce(req);
  let res: NextResponse;
  if (req.auth || PUBLIC.some((re) => re.test(pathname))) res = NextResponse.next({ request: { headers } });
  else {
    const login = new URL("/login", req.nextUrl);
    if (pathname !== "/") login.searchParams.set("callbackUrl", pathname + search);
    res = NextResponse.redirect(login);
  }
  res.headers.set("content-security-policy", csp);
  return res;
});

export async function proxy(req: NextRequest, event: NextFetchEvent) {
  return (await guarded)(req, event as never);
}

export const config = {
  // The management API (/api/v1) authenticates with bearer tokens only: no session, no login redirect.
  matcher: ["/((?!api/auth/|api/v1/|_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
