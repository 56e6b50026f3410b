import type { ApolloServerPlugin } from "@apollo/server";
import type { GatewayContext } from "./context.ts";

export { formatError } from "@o2o/runtime";

/**
 * Stage 5: responding. Errors are formatted by the runtime's `formatError` (stable codes, no stack
 * traces, unexpected ones masked); every response carries the request id it was logged under.
 */
export const requestIdHeader: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart({ contextValue }) {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set("x-request-id", contextValue.requestId);
      },
    };
  },
};
