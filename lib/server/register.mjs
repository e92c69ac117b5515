// `node --import tsx --import ./lib/server/register.mjs <script>.ts`: lets scripts load lib/
// modules marked `server-only` outside Next's bundle.
import { register } from "node:module";

register("./server-only-hook.mjs", import.meta.url);
