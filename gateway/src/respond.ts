import type { ApolloServerPlugin } from "@apollo/server";
import { logger } from "@o2o/runtime";
import type { GatewayContext } from "./context.ts";

export { formatError } from "@o2o/runtime";

/**
 * Stage 5: responding. Errors are formatted by the runtime's `formatError` (stable codes, no stack
 * traces, unexpected ones masked); every response carries the request id it was logged under, and
 * one log line per request names the caller by its label (a key's prefix, never the key).
 */
export const respond: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart({ contextValue }) {
    return {
      async willSendResponse({ response, operationName, errors }) {
        response.http.headers.set("x-request-id", contextValue.requestId);
        logger.info(
          {
            requestId: contextValue.requestId,
            caller: contextValue.access?.label,
            operation: operationName ?? null,
            cost: contextValue.cost?.requested,
            errors: errors?.map((e) => e.extensions?.code ?? "UNKNOWN"),
          },
          "request",
        );
      },
    };
  },
};
