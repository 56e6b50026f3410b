import { forbidden, requireScope, type Caller, type UserError } from "@o2o/runtime";

/** What staff mutations answer (FulfillmentPayload): the fulfilment is loaded by the payload resolver. */
export interface FulfillmentResult {
  fulfillmentId: string | null;
  userErrors: UserError[];
}

export const done = (fulfillmentId: string): FulfillmentResult => ({ fulfillmentId, userErrors: [] });

export const userError = (fulfillmentId: string | null, code: string, message: string, field: string[] | null = null): FulfillmentResult => ({
  fulfillmentId,
  userErrors: [{ code, message, field }],
});

export const notFound = (field: string[]) => userError(null, "NOT_FOUND", "No fulfilment has that id.", field);

/**
 * Counter operations are for API keys holding fulfillment:write (the gateway checks the scope first; this is the
 * owner's check). Which fulfilments a key may touch is decided per fulfilment (store-owners.ts).
 */
export function requireCounterKey(caller: Caller): void {
  requireScope(caller, "fulfillment:write");
  if (caller.keyId === null) throw forbidden("Counter operations are done with a retailer's (or the platform's) API key.");
}
