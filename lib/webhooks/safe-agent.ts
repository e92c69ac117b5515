import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { type AddressPolicy, isAllowedAddress } from "./address";

/** A connection to an address the policy refuses: nothing was sent. */
export class BlockedAddressError extends Error {
  readonly code = "KEYPORT_BLOCKED_ADDRESS";
  constructor(address: string) {
    super(`Connecting to ${address} is not allowed`);
  }
}

/** DNS as usual, but every address a name resolves to must be allowed before Node connects to one. */
function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, "", 0);
      const blocked = addresses.find((a) => !isAllowedAddress(a.address, policy));
      if (blocked || !addresses.length) return callback(new BlockedAddressError(blocked?.address ?? hostname), "", 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

type Create = (options: http.ClientRequestArgs, cb: (err: Error | null, socket?: unknown) => void) => unknown;

/**
 * Checks the address each connection goes to with the same rule as the save-time check
 * (isAllowedAddress): an IP literal before the socket is made, a host name after DNS and before
 * the connect, so a name that resolves elsewhere at delivery time (DNS rebinding) is refused too.
 */
function guarded<T extends http.Agent>(agent: T, policy: AddressPolicy): T {
  const create = (agent as unknown as { createConnection: Create }).createConnection.bind(agent);
  const lookup = guardedLookup(policy);
  (agent as unknown as { createConnection: Create }).createConnection = (options, cb) => {
    const host = String(options.host ?? options.hostname ?? "").replace(/^\[|\]$/g, "");
    if (isIP(host) && !isAllowedAddress(host, policy)) {
      cb(new BlockedAddressError(host));
      return undefined;
    }
    return create({ ...options, lookup }, cb);
  };
  return agent;
}

export const guardedHttpAgent = (policy: AddressPolicy) => guarded(new http.Agent({ keepAlive: false }), policy);
export const guardedHttpsAgent = (policy: AddressPolicy) => guarded(new https.Agent({ keepAlive: false }), policy);
