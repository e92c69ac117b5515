/**
 * Whether a server action's argument is data a form can send: strings, numbers, booleans, null,
 * undefined, and arrays or plain objects of them. Next decodes an action's body as a React Flight
 * reply before any of our code runs, so a forged body can hand an action a Promise ("$@"), a
 * temporary reference that throws on any property read ("$T"), a Map ("$Q"), a Date ("$D"), a
 * BigInt ("$n"), FormData ("$K"), a stream, an iterator… No action takes any of those: the doors
 * refuse them with VALIDATION before a schema or a service reads them.
 */
export function isPlainData(value: unknown, depth = 0): boolean {
  if (value === null || value === undefined) return true;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return true;
    case "object":
      break;
    default:
      return false; // function (temporary and server references), bigint, symbol
  }
  if (depth >= 32) return false; // no form nests this deep
  if (Array.isArray(value)) return value.every((v) => isPlainData(v, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  if (Object.getOwnPropertySymbols(value).length) return false; // an async iterable ("$X") is a plain object with Symbol.asyncIterator
  return Object.values(value as object).every((v) => isPlainData(v, depth + 1));
}
