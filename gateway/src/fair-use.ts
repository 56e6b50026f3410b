import { HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import { codedError, ErrorCode, logger, rateLimitRejections } from "@o2o/runtime";
import type { GatewayContext } from "./context.ts";
import { actualCost, requestedCost } from "./cost.ts";
import { BucketUnavailableError, TIERS, type Bucket, type ThrottleStatus } from "./throttle.ts";

/**
 * Stage 2b: fair use, in the style of Shopify's calculated query cost. Before anything is planned or
 * fetched, the operation's cost is computed from the schema (cost.ts); an operation above `maxCost`
 * is refused outright (MAX_COST_EXCEEDED), otherwise the cost is taken from the caller's bucket
 * (throttle.ts: per key, member or client address; shared by every replica through Redis). An empty
 * bucket answers THROTTLED, HTTP 429 and Retry-After. After execution the actual cost (real list
 * sizes) is known and the difference is given back. Every answer carries `extensions.cost`.
 * If Redis cannot be reached, the gateway's bucket (throttle.ts resilientBucket) limits per process from memory; a
 * bucket that still cannot answer (one given without that fallback) serves the request unthrottled (logged), never
 * fails it.
 */
export function fairUse(bucket: Bucket, maxCost: number): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request, contextValue }) {
          const requested = requestedCost(schema, document, operationName, request.variables ?? {});
          const tier = tierOf(contextValue);
          // An operation bigger than the caller's whole bucket could never run: refused, not throttled forever.
          const maximum = Math.min(maxCost, tier.maximumAvailable);
          if (requested > maximum) {
            throw codedError(ErrorCode.MAX_COST_EXCEEDED, `The operation costs ${requested} points; at most ${maximum} are allowed per operation. Ask for fewer items (lower \`first\`).`, {
              cost: { requestedQueryCost: requested, maximumQueryCost: maximum },
              // A client's mistake: 400, like the other refusals before execution (without it Apollo answers 500).
              http: { status: 400 },
            });
          }
          let status: ThrottleStatus | null = null;
          try {
            const taken = await bucket.take(contextValue.access.bucketKey, tier, requested);
            status = taken.status;
            contextValue.cost = { requested, status };
            if (!taken.allowed) {
              rateLimitRejections.labels({ tier: contextValue.access.tier }).inc();
              throw codedError(ErrorCode.THROTTLED, `Throttled: the operation costs ${requested} points and ${status.currentlyAvailable} are available; retry after ${taken.retryAfterSeconds} s.`, {
                retryAfterSeconds: taken.retryAfterSeconds,
                cost: costExtension(requested, null, status),
                http: { status: 429, headers: new HeaderMap([["retry-after", String(taken.retryAfterSeconds)]]) },
              });
            }
          } catch (err) {
            if (!(err instanceof BucketUnavailableError)) throw err;
            logger.warn({ requestId: contextValue.requestId }, "rate-limit bucket unavailable (Redis); serving unthrottled");
          }
          contextValue.cost = { requested, status };
        },
        async willSendResponse({ response, contextValue, document, operationName, request, schema }) {
          const cost = contextValue.cost;
          if (!cost || response.body.kind !== "single" || !document) return;
          const result = response.body.singleResult;
          // No data: refused before execution (throttled), nothing was spent beyond the take (which did not happen).
          const actual = result.data === undefined ? null : (contextValue.knownActualCost ?? actualCost(schema, document, operationName ?? null, request.variables ?? {}, result.data));
          let status = cost.status;
          if (status && actual !== null && actual < cost.requested) {
            status = await bucket.refund(contextValue.access.bucketKey, tierOf(contextValue), cost.requested - actual).catch(() => status);
          }
          result.extensions = { ...result.extensions, cost: costExtension(cost.requested, actual, status) };
        },
      };
    },
  };
}

const tierOf = (ctx: GatewayContext) => TIERS[ctx.access.tier] ?? TIERS.STANDARD;

const costExtension = (requested: number, actual: number | null, status: ThrottleStatus | null) => ({
  requestedQueryCost: requested,
  actualQueryCost: actual,
  throttleStatus: status,
});
