import { AppError } from "@/lib/core/errors";

/** "OK", or the AppError code a call was refused with: the outcome a test compares. */
export const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (e) => (e instanceof AppError ? e.code : `UNEXPECTED ${e}`),
  );
