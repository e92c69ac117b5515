// Strength of passwords people choose (integration credentials, new accounts): zxcvbn's estimate of
// the guesses needed, with its common-password, name and keyboard-pattern dictionaries. Used by the
// schemas, so the form and the server refuse the same passwords.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

/** zxcvbn's 0–4 scale: 3 is "safely unguessable" (about 10^8 guesses or more). */
export const MIN_PASSWORD_SCORE = 3;
// zxcvbn's matching grows with length; what lies past this adds strength anyway.
const CHECKED_LENGTH = 100;

let checker: ZxcvbnFactory | undefined;

/** True when the password is guessable, also counting words the user gave elsewhere (user name, e-mail). */
export function isWeakPassword(password: string, userInputs: string[] = []): boolean {
  checker ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  return checker.check(password.slice(0, CHECKED_LENGTH), userInputs.filter(Boolean)).score < MIN_PASSWORD_SCORE;
}
