// @keyport/verify: Keyport API keys checked in your own process. Answers come from a bounded cache
// (keyed by a SHA-256 of the key) that Keyport's change stream keeps correct: a revoke, a disable,
// a rotation's end or a rollback reaches every connected verifier within a second.
export { createVerifier, credentialsOf, KeyportTokenError, KeyportUnavailableError } from "./verifier.js";
export type { Verifier, VerifierEvent, VerifierOptions, VerifyOptions } from "./verifier.js";
export { keyport, keyportHono, verifyRequest, withKeyport } from "./middleware.js";
export type { MiddlewareOptions } from "./middleware.js";
export type { KeyState, Outcome, VerifyResult } from "./state.js";
