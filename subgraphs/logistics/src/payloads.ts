import { forbidden, hasScope, type Caller, type UserError } from "@o2o/runtime";

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

/** Store operations (and reading any fulfilment by id) are for staff holding store:operate. */
export function requireStaff(caller: Caller): void {
  if (!hasScope(caller, "store:operate")) throw forbidden("Store operations need the store:operate scope.");
}
