// The app server: the portal, the verification API, the mail worker and the expiry sweep in one
// process, over one database (run by `npm start` through scripts/start.mjs, and by e2e/server.mjs).
import { register } from "node:module";

register("./server-only-hook.mjs", import.meta.url);
(await import("./heap")).limitHeapGrowth();
const { startServer } = await import("./app-server");
await startServer();
