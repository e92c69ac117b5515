import { ZodError } from "zod";
import { AppError, ERROR_CODES, HTTP_STATUS, type ErrorCode } from "@/lib/core/errors";
import { fieldErrorsOf } from "@/lib/keys/schema";
import { errorMessage, logger } from "@/lib/core/log";

// Errors of the management API: application/problem+json (RFC 9457), one stable `type` per
// refusal. The statuses come from lib/core's code→status map; the API adds only its own refusals.
export const PROBLEM_BASE = "urn:keyport:problem:";

const API_PROBLEMS = {
  "invalid-token": { status: 401, title: "Invalid management token" },
  "insufficient-scope": { status: 403, title: "The token's scopes do not allow this" },
  "malformed-request": { status: 400, title: "The request body is not a JSON object" },
  "unsupported-media-type": { status: 415, title: "Send the body as application/json" },
  "idempotency-key-invalid": { status: 400, title: "The Idempotency-Key header is not valid" },
  "idempotency-key-reused": { status: 422, title: "This Idempotency-Key was used for another request" },
  "rate-limited": { status: 429, title: "Too many requests for this token" },
  internal: { status: 500, title: "Something went wrong and nothing was changed" },
} as const;
export type ApiProblem = keyof typeof API_PROBLEMS;

/** `NOT_FOUND` → `not-found`. */
export const slugOf = (code: ErrorCode) => code.toLowerCase().replace(/_/g, "-");

/** Codes no key or audit operation answers with (or answers as another type: not-found, invalid-token). */
const NOT_FROM_THE_API: readonly ErrorCode[] = [
  "MERCHANT_NOT_FOUND",
  "UNAUTHENTICATED",
  "STEP_UP_REQUIRED",
  "STEP_UP_INVALID",
  "STEP_UP_LOCKED",
  "PASSKEY_CHALLENGE",
  "LAST_OWNER",
  "ALREADY_MEMBER",
  "INVITATION_INVALID",
  "INVITATION_EMAIL_MISMATCH",
  "ACCOUNT_EXISTS",
];

/** Every `type` the API answers with, for the OpenAPI document. */
export const PROBLEM_TYPES = [...ERROR_CODES.filter((c) => !NOT_FROM_THE_API.includes(c)).map(slugOf), ...Object.keys(API_PROBLEMS)].map(
  (s) => PROBLEM_BASE + s,
);

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Record<string, string>;
}

export function problem(
  status: number,
  slug: string,
  title: string,
  detail: string,
  headers: HeadersInit = {},
  errors?: Record<string, string>,
) {
  const body: ProblemBody = { type: PROBLEM_BASE + slug, title, status, detail, ...(errors ? { errors } : {}) };
  const h = new Headers(headers);
  h.set("content-type", "application/problem+json");
  h.set("cache-control", "no-store");
  return new Response(JSON.stringify(body), { status, headers: h });
}

export const apiProblem = (kind: ApiProblem, detail: string, headers?: HeadersInit) =>
  problem(API_PROBLEMS[kind].status, kind, API_PROBLEMS[kind].title, detail, headers);

/** A thrown error as problem+json: typed errors by their code, anything else without details. */
export function problemOf(err: unknown, headers: HeadersInit = {}): Response {
  if (err instanceof AppError) {
    // A missing merchant and a missing key are one answer to a caller (the tenancy contract).
    const code: ErrorCode = err.code === "MERCHANT_NOT_FOUND" ? "NOT_FOUND" : err.code;
    const h = new Headers(headers);
    if (code === "UNAUTHENTICATED") {
      h.set("www-authenticate", 'Bearer realm="keyport", error="invalid_token"');
      return problem(401, "invalid-token", API_PROBLEMS["invalid-token"].title, err.message, h);
    }
    return problem(HTTP_STATUS[code], slugOf(code), titleOf(code), err.message, h, err.fieldErrors);
  }
  if (err instanceof ZodError) {
    return problem(
      HTTP_STATUS.VALIDATION,
      slugOf("VALIDATION"),
      titleOf("VALIDATION"),
      "Some fields are not valid.",
      headers,
      fieldErrorsOf(err),
    );
  }
  logger().error({ area: "api", err: errorMessage(err) }, "management API request failed");
  return apiProblem("internal", "Please try again.", headers);
}

const titleOf = (code: ErrorCode) => code.charAt(0) + code.slice(1).toLowerCase().replace(/_/g, " ");
