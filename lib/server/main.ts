// Entry point of `npm start`: one process with the portal, (later) the verification API, the mail
// worker and the expiry sweep, over one database.
import { register } from "node:module";

register("./server-only-hook.mjs", import.meta.url);
const { startServer } = await import("./app-server");
await startServer();
