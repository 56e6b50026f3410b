import type { ApolloServerPlugin } from "@apollo/server";
import { logger, operationDuration, operationLabel } from "@o2o/runtime";
import type { GatewayContext } from "./context.ts";

export { formatError } from "@o2o/runtime";

/**
 * Stage 5: responding. Errors are formatted by the runtime's `formatError` (stable codes, no stack
 * traces, unexpected ones masked); every response carries the request id it was logged under, and
 * one log line per request names the caller by its label (a key's prefix, never the key; the logger adds the
 * trace id), and its duration is observed per operation name (`o2o_operation_duration_seconds`).
 */
export const respond: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart({ contextValue }) {
    const started = process.hrtime.bigint();
    return {
      async willSendResponse({ response, operation, operationName, errors }) {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        operationDuration.labels({ operation: operationLabel(operation !== undefined, operation?.name?.value) }).observe(seconds);
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
