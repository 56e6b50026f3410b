/** Who sends a fuzzed request: no credential, a demo member, a partner key of hoshi, or a platform key. */
export type CallerName = "anonymous" | "member" | "partnerKey" | "platformKey";
export const CALLERS: readonly CallerName[] = ["anonymous", "member", "partnerKey", "platformKey"];

/** One fuzzed HTTP request, described before it is sent (so a run is generated whole from its seed). */
export interface FuzzRequest {
  /** The generator that made it, for the report (e.g. "query.variables", "http.batch"). */
  kind: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path and query string (default /graphql). */
  path?: string;
  caller: CallerName;
  headers?: Record<string, string>;
  body?: string;
  /** Response keys of mutation fields: each must come back refused (null, or with userErrors). */
  mutations?: string[];
  /** The mutation field and caller this request is the round-robin turn of (`checkout@member`), for coverage. */
  covers?: string;
}

/** What came back: the status and body, or the transport error when there was no HTTP answer at all. */
export type FuzzAnswer = { status: number; contentType: string; text: string } | { transportError: string };

export function postJson(kind: string, caller: CallerName, body: unknown, mutations?: string[]): FuzzRequest {
  return { kind, method: "POST", caller, headers: { "content-type": "application/json" }, body: JSON.stringify(body), ...(mutations ? { mutations } : {}) };
}
