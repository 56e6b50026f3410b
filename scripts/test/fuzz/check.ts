import { CLIENT_CODES } from "@o2o/runtime";
import type { FuzzAnswer, FuzzRequest } from "./request.ts";

/**
 * The codes a client may see in `errors[].extensions.code`: the ones formatError passes through (the runtime's ErrorCode
 * without INTERNAL_SERVER_ERROR, which a fuzzed input must never cause, and graphql-js's and Apollo Server's codes for
 * bad requests).
 */
export const KNOWN_CODES: ReadonlySet<string> = CLIENT_CODES;

/**
 * What must never reach a client: stack frames, source positions, dependency paths, file paths, the ORM's and the
 * database's words, Node's error names. (The fuzzer's own inputs never contain these, so an echo cannot match.)
 */
export const INTERNALS: readonly RegExp[] = [
  /    at |\bat \S+ \([^)]*:\d+:\d+\)|\.[cm]?[jt]s:\d|node_modules|stacktrace|prisma|ECONNREFUSED|ECONNRESET|TypeError|ReferenceError|RangeError|Cannot read propert|is not a function|\/work\/|\/home\/|\/tmp\/|file:\/\/|syntax error at or near|violates .* constraint|relation "|duplicate key|pglite|ioredis/i,
  // SQL in capitals only: product and store texts may say "select" in prose.
  /\bSELECT\b|\bINSERT INTO\b|\bUPDATE \S+ SET\b/,
];

/** The first internal detail in `text`, if any. */
export function internalDetail(text: string): string | null {
  for (const pattern of INTERNALS) {
    const found = text.match(pattern);
    if (found) return found[0];
  }
  return null;
}

export interface Verdict {
  /** Why this answer is wrong (empty: fine). */
  failures: string[];
  /** `extensions.code` of every error, for the distribution. */
  codes: string[];
  /** Mutation fields that came back as a success (a payload with no userErrors). */
  accepted: string[];
  /** `userErrors[].code` of the mutation payloads (refusals by the subgraphs' own checks). */
  userErrorCodes: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every answer: a GraphQL JSON body (or a 4xx in that shape), known codes, no internals, refused mutations. */
export function checkAnswer(request: FuzzRequest, answer: FuzzAnswer): Verdict {
  const failures: string[] = [];
  const codes: string[] = [];
  const accepted: string[] = [];
  const userErrorCodes: string[] = [];
  if ("transportError" in answer) return { failures: [`no HTTP answer: ${answer.transportError}`], codes, accepted, userErrorCodes };
  const { status, contentType, text } = answer;
  const leak = internalDetail(text);
  if (leak) failures.push(`leaks an internal detail: ${leak}`);
  if (!contentType.includes("json")) failures.push(`content-type ${contentType || "(none)"}, not JSON`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { failures: [...failures, `status ${status}, body is not JSON: ${text.slice(0, 120)}`], codes, accepted, userErrorCodes };
  }
  if (!isObject(body)) return { failures: [...failures, `body is not a JSON object: ${text.slice(0, 120)}`], codes, accepted, userErrorCodes };
  const extra = Object.keys(body).filter((k) => !["data", "errors", "extensions"].includes(k));
  if (extra.length) failures.push(`unexpected top-level keys ${extra.join(", ")}`);
  const errors = body.errors;
  if (errors !== undefined && (!Array.isArray(errors) || errors.length === 0)) failures.push("errors is not a non-empty array");
  const list = Array.isArray(errors) ? errors : [];
  for (const error of list) {
    if (!isObject(error) || typeof error.message !== "string" || !error.message) {
      failures.push(`an error without a message: ${JSON.stringify(error).slice(0, 120)}`);
      continue;
    }
    const code = isObject(error.extensions) ? error.extensions.code : undefined;
    codes.push(typeof code === "string" ? code : "(none)");
    if (typeof code !== "string" || !KNOWN_CODES.has(code)) failures.push(`error code ${String(code)}: ${error.message.slice(0, 160)}`);
  }
  if (status >= 500 && !(status === 503 && list.every((e) => isObject(e) && isObject(e.extensions) && e.extensions.code === "SERVICE_UNAVAILABLE" && e.extensions.serviceName))) {
    failures.push(`status ${status}`);
  }
  if (status >= 400 && status < 500 && list.length === 0) failures.push(`status ${status} without errors`);
  if (status < 400 && !("data" in body) && list.length === 0) failures.push("neither data nor errors");
  if (status >= 200 && status < 300 && request.mutations && isObject(body.data)) {
    for (const key of request.mutations) {
      const payload = body.data[key];
      if (!isObject(payload)) continue;
      const userErrors = Array.isArray(payload.userErrors) ? payload.userErrors : [];
      if (userErrors.length === 0) accepted.push(key);
      for (const e of userErrors) userErrorCodes.push(isObject(e) && typeof e.code === "string" ? e.code : "(none)");
    }
  }
  return { failures, codes, accepted, userErrorCodes };
}
