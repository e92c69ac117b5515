// Fixed texts for sign-in failures: the same words whether the e-mail or the password was wrong.
export const LOGIN_MESSAGES = {
  invalid: "Incorrect e-mail or password.",
  // Said for any address, with or without an account behind it.
  locked: "Too many failed sign-in attempts for this e-mail address. Try again in 15 minutes.",
  otp_invalid: "That code is not valid. Enter the current code from your authenticator app.",
  // A right code that was already spent (a second sign-in within the same 30 s).
  otp_used: "That code has just been used. Wait for the next code from your authenticator app.",
  otp_locked: "Too many wrong codes. Sign-in with a code is locked for 15 minutes.",
  expired: "The sign-in took too long. Enter your password again.",
  unavailable: "Sign-in is unavailable right now. Please try again.",
  passkey_refused: "That passkey did not sign you in. Try again, or sign in with your password.",
} as const;
