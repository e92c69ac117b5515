// Where a sign-in or an enrolment may send the user back to: a path of this site, never another
// host. Browsers read "/\evil.test" and "/\t/evil.test" as "//evil.test", so a prefix check is not
// enough: the value is resolved the way a browser would, against an origin, and must stay on it.

const ORIGIN = "http://keyport.invalid";

/** The value as a same-origin path ("/merchants?q=a#x"), or undefined when it could leave the site. */
export function sameOriginPath(value: unknown, origin = ORIGIN): string | undefined {
  if (typeof value !== "string" || !value.startsWith("/") || value.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return undefined;
  }
  if (url.origin !== new URL(origin).origin) return undefined;
  const path = url.pathname + url.search + url.hash;
  // "/.//evil.test" resolves to the path "//evil.test", which a browser would read as a host.
  return path.startsWith("//") || path.startsWith("/\\") ? undefined : path;
}
