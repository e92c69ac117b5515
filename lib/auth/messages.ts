// Fixed texts for sign-in failures: the same words whether the e-mail or the password was wrong.
export const LOGIN_MESSAGES = {
  invalid: "Incorrect e-mail or password.",
  locked: "Too many failed sign-in attempts. This account is locked for 15 minutes; try again later.",
  unavailable: "Sign-in is unavailable right now. Please try again.",
} as const;
