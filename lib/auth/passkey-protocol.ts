// Shared by the step-up dialogs and the server: how a step-up "code" asks for a passkey challenge,
// and how it carries the passkey's answer.
/** What a step-up dialog sends as its code to ask for a passkey challenge instead. */
export const PASSKEY_REQUEST = "passkey";
/** A step-up "code" that carries a passkey assertion: this prefix, then the assertion's JSON. */
export const PASSKEY_PREFIX = "pk:";
