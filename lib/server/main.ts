// The app server: the portal, the verification API, the mail worker and the expiry sweep in one
// process, over one database (run by `npm start` through scripts/start.mjs and scripts/run.mjs,
// and by e2e/server.mjs).
import { register } from "node:module";

// Through tsx only: scripts/run.mjs bundles this file with `server-only` resolved.
if (process.env.KEYPORT_BUNDLED !== "1") register("./server-only-hook.mjs", import.meta.url);
(await import("./heap")).limitHeapGrowth();
const { startServer } = await import("./app-server");
await startServer();
