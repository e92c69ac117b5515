import { setFlagsFromString } from "node:v8";

/**
 * How far V8's old generation may grow past what survived its last full collection before it
 * collects again: 30 %, where V8 alone allows several times over. Garbage promoted during a burst
 * (a wave of cache misses' rows and promises, promoted while the database answered; a page's
 * render) otherwise sat in memory for minutes: the verifier caching 100,000 keys used 245 MB of
 * RSS instead of 317 (`npm run bench:memory`). Steady traffic promotes little, so the extra
 * collections are rare, and their marking runs beside the main thread. Set by each server
 * process itself, as early as it starts (V8 reads the flag at each collection).
 */
export const HEAP_GROWING_PERCENT = 30;

export function limitHeapGrowth() {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
