const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in URLs and inputs are checked before any query: a malformed one is simply "not found". */
export const isUuid = (s: unknown): s is string => typeof s === "string" && UUID_RE.test(s);
