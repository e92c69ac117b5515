/** The portal's public origin, for links in mail: APP_URL, else AUTH_URL, else localhost. */
export const appUrl = () => (process.env.APP_URL ?? process.env.AUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, "");
