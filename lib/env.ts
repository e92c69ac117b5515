/** KEYPORT_ENV=production: no demo seed, no dev mailbox, required secrets, HSTS. */
export const isProduction = () => process.env.KEYPORT_ENV === "production";
