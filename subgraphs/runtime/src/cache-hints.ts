import { cacheControlFromInfo } from "@apollo/cache-control-types";
import type { GraphQLResolveInfo } from "graphql";

/**
 * A resolver's dynamic cache hint: this field's answer is the same for every caller of the request's class (the
 * gateway's cache keys hold the caller's scopes and bindings, never the member), so it may be shared for `maxAge`
 * seconds. E.g. `me` is null for every caller without a member.
 */
export function shareableAnswer(info: GraphQLResolveInfo, maxAge: number): void {
  cacheControlFromInfo(info).setCacheHint({ maxAge, scope: "PUBLIC" });
}
