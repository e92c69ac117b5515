import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/next-auth";
import { crossOriginReason } from "@/lib/server/security-headers";

export const { GET } = handlers;

/** Sign-in and sign-out change state: a cross-site or Origin-less POST is refused before next-auth. */
export async function POST(req: NextRequest) {
  const refused = crossOriginReason("POST", Object.fromEntries(req.headers));
  if (refused)
    return Response.json(
      { error: "cross_origin_request", message: "This request must come from the Keyport site itself." },
      { status: 403 },
    );
  return handlers.POST(req);
}
