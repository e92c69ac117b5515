// One typed error for every domain, with fixed user-facing messages and the HTTP status each code
// answers with. Raw exceptions never reach a user.
export const ERROR_CODES = [
  "NOT_FOUND",
  "MERCHANT_NOT_FOUND",
  "FORBIDDEN",
  "INVALID_TRANSITION",
  "CONFLICT",
  "VALIDATION",
  "USERNAME_TAKEN",
  "STEP_UP_REQUIRED",
  "STEP_UP_INVALID",
  "STEP_UP_LOCKED",
  "PASSKEY_CHALLENGE",
  "ROTATION_IN_PROGRESS",
  "ROLLBACK_UNAVAILABLE",
  "EXTEND_UNAVAILABLE",
  "KEY_EXPIRED",
  "UNAUTHENTICATED",
  "LAST_OWNER",
  "ALREADY_MEMBER",
  "INVITATION_INVALID",
  "INVITATION_EMAIL_MISMATCH",
  "ACCOUNT_EXISTS",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  NOT_FOUND: "This API key does not exist.",
  MERCHANT_NOT_FOUND: "This merchant does not exist, or you are not a member of it.",
  FORBIDDEN: "Your role does not allow this action.",
  INVALID_TRANSITION: "This action is not possible in the key's current status.",
  CONFLICT: "This key was changed meanwhile. Reload the page and try again.",
  VALIDATION: "Some fields are not valid.",
  USERNAME_TAKEN: "This username is already in use. Choose another.",
  STEP_UP_REQUIRED: "Enter the code from your authenticator app to continue.",
  STEP_UP_INVALID: "That code is not valid. Enter the current code from your authenticator app.",
  STEP_UP_LOCKED: "Too many wrong codes. Step-up is locked for 15 minutes.",
  // Not an error for the user: the answer carries the passkey request options (JSON) as its message.
  PASSKEY_CHALLENGE: "Confirm with your passkey.",
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

/** What a door that speaks HTTP (route handlers, the management API) answers for each code. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  MERCHANT_NOT_FOUND: 404,
  FORBIDDEN: 403,
  INVALID_TRANSITION: 409,
  CONFLICT: 409,
  VALIDATION: 422,
  USERNAME_TAKEN: 409,
  STEP_UP_REQUIRED: 401,
  STEP_UP_INVALID: 401,
  STEP_UP_LOCKED: 429,
  PASSKEY_CHALLENGE: 401,
  ROTATION_IN_PROGRESS: 409,
  ROLLBACK_UNAVAILABLE: 409,
  EXTEND_UNAVAILABLE: 409,
  KEY_EXPIRED: 409,
  UNAUTHENTICATED: 401,
  LAST_OWNER: 409,
  ALREADY_MEMBER: 409,
  INVITATION_INVALID: 410,
  INVITATION_EMAIL_MISMATCH: 403,
  ACCOUNT_EXISTS: 409,
};

/** A bulk action whose page is out of date: refused whole, so nothing changed. */
export const STALE_BATCH_MESSAGE =
  "Some of these keys changed after this page was loaded (in another tab, or by someone else). Nothing was changed: reload the page and try again.";

/** What a typed error may carry besides its code: messages per field, and a message other than the code's fixed one. */
export interface AppErrorOptions {
  fieldErrors?: Record<string, string>;
  message?: string;
}

export class AppError extends Error {
  readonly fieldErrors?: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    options: AppErrorOptions = {},
  ) {
    super(options.message ?? ERROR_MESSAGES[code]);
    this.name = "AppError";
    this.fieldErrors = options.fieldErrors;
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }
}
