// React's own decoder for server-action bodies (the one Next runs before any action code), loaded
// outside a react-server environment by handing it React's server builds for the moment it loads.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
type Decoder = {
  decodeReply(body: string | FormData, manifest: object, opts: { temporaryReferences: unknown }): Promise<unknown>;
  createTemporaryReferenceSet(): unknown;
};

function loadDecoder(): Decoder {
  const restore = ["react:react.react-server.js", "react-dom:react-dom.react-server.js"].map((spec) => {
    const [name, file] = spec.split(":");
    const main = require.resolve(name);
    const saved = require.cache[main];
    const server = join(dirname(main), file);
    require(server);
    require.cache[main] = require.cache[server];
    return () => (saved ? (require.cache[main] = saved) : delete require.cache[main]);
  });
  try {
    return require("next/dist/compiled/react-server-dom-webpack/cjs/react-server-dom-webpack-server.node.production.js");
  } finally {
    for (const r of restore) r();
  }
}

/** Every Flight tag React's parseModelString knows, as "$X" (a reference to row 1 where the tag takes one). */
export const FLIGHT_TAGS = [..."TQWZ@FKhDnBiRrXxEYSlAOoUsLGgMmVbJ"].map((t) => `$${t}`);

/**
 * What each "$X" string decodes to when it stands as a field of an action's argument: first as a
 * one-row text body, then as a multipart body whose row 1 is an empty list (what Map, Set and
 * iterator references point at). Tags React cannot decode either way are left out: Next refuses
 * those bodies before an action runs (security-edge.spec.ts).
 */
export async function decodedFlightValues(): Promise<Map<string, unknown>> {
  const rsc = loadDecoder();
  const decode = (body: string | FormData) => rsc.decodeReply(body, {}, { temporaryReferences: rsc.createTemporaryReferenceSet() });
  const out = new Map<string, unknown>();
  for (const tag of FLIGHT_TAGS) {
    for (const body of [JSON.stringify({ v: tag }), multipart(`${tag}1`)]) {
      try {
        const v = ((await decode(body)) as { v: unknown }).v;
        (v as Promise<unknown>)?.then?.(undefined, () => {}); // a pending Promise row must not fail the run
        out.set(tag, v);
        break;
      } catch {
        /* try the next shape */
      }
    }
  }
  return out;
}

function multipart(ref: string) {
  const form = new FormData();
  form.set("0", JSON.stringify({ v: ref }));
  form.set("1", "[]");
  return form;
}
