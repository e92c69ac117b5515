// Typed domain errors with fixed, user-facing messages. Raw exceptions never reach a user.
export type KeyErrorCode =
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "INVALID_TRANSITION"
  | "CONFLICT"
  | "VALIDATION"
  | "USERNAME_TAKEN"
  | "STEP_UP_REQUIRED"
  | "STEP_UP_INVALID"
  | "STEP_UP_LOCKED"
  | "ROTATION_IN_PROGRESS"
  | "ROLLBACK_UNAVAILABLE"
  | "EXTEND_UNAVAILABLE"
  | "KEY_EXPIRED"
  | "UNAUTHENTICATED"
  | "LAST_OWNER"
  | "ALREADY_MEMBER"
  | "INVITATION_INVALID"
  | "INVITATION_EMAIL_MISMATCH"
  | "ACCOUNT_EXISTS";

export const KEY_ERROR_MESSAGES: Record<KeyErrorCode, string> = {
  NOT_FOUND: "This API key does not exist.",
  FORBIDDEN: "Your role does not allow this action.",
  INVALID_TRANSITION: "This action is not possible in the key's current status.",
  CONFLICT: "This key was changed meanwhile. Reload the page and try again.",
  VALIDATION: "Some fields are not valid.",
  USERNAME_TAKEN: "This username is already in use. Choose another.",
  STEP_UP_REQUIRED: "Enter the code from your authenticator app to continue.",
  STEP_UP_INVALID: "That code is not valid. Enter the current code from your authenticator app.",
  STEP_UP_LOCKED: "Too many wrong codes. Step-up is locked for 15 minutes.",
  ROTATION_IN_PROGRESS: "A rotation is already in progress for this key. Try again in a moment.",
  ROLLBACK_UNAVAILABLE: "Rollback is no longer possible: the previous key has expired.",
  EXTEND_UNAVAILABLE: "The grace window can no longer be extended.",
  KEY_EXPIRED: "This key has expired: it can no longer be rotated or regenerated. Create a new key instead.",
  UNAUTHENTICATED: "Your session has ended. Sign in again.",
  LAST_OWNER: "Every merchant needs an owner: make someone else an owner first.",
  ALREADY_MEMBER: "This person is already a member of this merchant.",
  INVITATION_INVALID: "This invitation link is not valid any more. Ask an owner to invite you again.",
  INVITATION_EMAIL_MISMATCH: "This invitation was sent to another e-mail address. Sign in with that address to accept it.",
  ACCOUNT_EXISTS: "An account with this e-mail address already exists. Sign in to accept the invitation.",
};

/** A bulk action whose page is out of date: refused whole, so nothing changed. */
export const STALE_BATCH_MESSAGE = "Some of these keys changed after this page was loaded (in another tab, or by someone else). Nothing was changed: reload the page and try again.";

export class KeyError extends Error {
  constructor(
    readonly code: KeyErrorCode,
    readonly fieldErrors?: Record<string, string>,
    message?: string,
  ) {
    super(message ?? KEY_ERROR_MESSAGES[code]);
    this.name = "KeyError";
  }
}
