import { env } from "@/lib/env";

/** The portal's public origin, for links in mail: APP_URL, else AUTH_URL, else localhost. */
export const appUrl = () => {
  const e = env();
  return (e.APP_URL ?? e.AUTH_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
};
