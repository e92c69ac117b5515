import NextAuth from "next-auth";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { authConfig } from "@/lib/auth/config";
import { authSecret } from "@/lib/auth/secret";

// Runs before every page: re-issues the session cookie (sliding 30-minute idle expiry) and sends
// signed-out visitors of the dashboard to the login page. Pages and actions check the session
// themselves as well; this is not the only guard.
const { auth } = NextAuth(() => ({ ...authConfig, secret: authSecret() }));

const PUBLIC = [/^\/login$/, /^\/api\/auth\//, /^\/dev\/mailbox/, /^\/invite\//];

// With a lazy config, next-auth's wrapper resolves asynchronously: await it per request.
const guarded = auth((req) => {
  const { pathname, search } = req.nextUrl;
  if (req.auth || PUBLIC.some((re) => re.test(pathname))) return NextResponse.next();
  const login = new URL("/login", req.nextUrl);
  if (pathname !== "/") login.searchParams.set("callbackUrl", pathname + search);
  return NextResponse.redirect(login);
});

export async function proxy(req: NextRequest, event: NextFetchEvent) {
  return (await guarded)(req, event as never);
}

export const config = {
  matcher: ["/((?!api/auth/|_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
