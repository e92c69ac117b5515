// Server-action bodies are React Flight replies: JSON rows whose "$"-strings reference other rows
// ("$1", "$Q2", "$@3"…). Next decodes them before any of our code runs and answers 500 when the
// decoding throws, so a malformed reply ("$Q", "$Z", a reference to a row that is not there, a
// row that is not JSON) is refused here with 400 instead. This checks the shape React needs, not
// the arguments: each action still parses its own input.

/** Tags followed by the hex id of a row that must exist (React's parseModelString). */
const ROW_TAGS = new Set(["@", "h", "Q", "W", "i", "B", "R", "r", "X", "x", ..."AOoUSsLlGgMmV"]);
/** Tags that reference no row: Infinity, NaN, undefined, -0/-Infinity, temporary references, dates, form data. */
const FREE_TAGS = new Set(["I", "N", "u", "H", "-", "T", "D", "K"]);
const HEX = /^[0-9a-f]+$/;

type Rows = (id: string) => boolean;

function badString(s: string, hasRow: Rows): string | null {
  if (s[0] !== "$" || s[1] === "$") return null;
  const tag = s[1];
  if (FREE_TAGS.has(tag)) return null;
  if (tag === "n") return /^-?\d{1,300}$/.test(s.slice(2)) ? null : `bad BigInt ${s.slice(0, 20)}`;
  const ref = ROW_TAGS.has(tag) ? s.slice(2) : s.slice(1);
  const id = ref.split(":")[0];
  if (!HEX.test(id)) return `bad reference ${s.slice(0, 20)}`;
  return hasRow(id) ? null : `reference to a missing row ${s.slice(0, 20)}`;
}

function badValue(value: unknown, hasRow: Rows, depth = 0): string | null {
  if (depth > 64) return "nested too deeply";
  if (typeof value === "string") return badString(value, hasRow);
  if (value && typeof value === "object") {
    for (const v of Array.isArray(value) ? value : Object.values(value)) {
      const bad = badValue(v, hasRow, depth + 1);
      if (bad) return bad;
    }
  }
  return null;
}

function badRow(text: string, hasRow: Rows): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "a row is not JSON";
  }
  return badValue(value, hasRow);
}

/**
 * Why a server-action body cannot be decoded, or null when it has the shape of a reply. A text
 * body is the single root row; a multipart body has rows named by decimal ids ("0" is the root)
 * beside the entries of FormData and Blob arguments (React's encodeReply).
 */
export async function malformedActionBody(body: Buffer, contentType: string | undefined): Promise<string | null> {
  if (!/^multipart\/form-data/i.test(contentType ?? "")) return badRow(body.toString("utf8"), (id) => parseInt(id, 16) === 0);
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType! } }).formData();
  } catch {
    return "not multipart form data";
  }
  // A progressive-enhancement form post ($ACTION_ID_…) is decoded another way; Next handles it.
  if ([...form.keys()].some((k) => k.startsWith("$ACTION_"))) return null;
  if (!form.has("0")) return "no root row";
  // Rows are named by their decimal id; references name them in hex.
  const hasRow = (id: string) => form.has(String(parseInt(id, 16)));
  for (const [key, value] of form) {
    if (!/^\d+$/.test(key) || typeof value !== "string") continue;
    const bad = badRow(value, hasRow);
    if (bad) return bad;
  }
  return null;
}
