import { validIdempotencyKey } from "./idempotency.ts";

/**
 * A mutation payload's `userErrors` entry (every subgraph declares the same `@shareable UserError`): a
 * refusal the client can act on, with a stable code. A payload with any changed nothing.
 */
export interface UserError {
  code: string;
  message: string;
  field: string[] | null;
}

export const userError = (code: string, message: string, field: (string | number)[] | null = null): UserError => ({
  code,
  message,
  field: field ? field.map(String) : null,
});

/**
 * Thrown deep inside a service (often inside a transaction) to refuse the whole request: the transaction rolls
 * back, so nothing partial is written, and `settle` turns it into the payload's userErrors.
 */
export class Refusal extends Error {
  constructor(readonly error: UserError) {
    super(error.message);
  }
}

export const refuse = (code: string, message: string, field: (string | number)[] | null = null): never => {
  throw new Refusal(userError(code, message, field));
};

/** Runs `work`; a Refusal becomes `refused([its error])`, anything else propagates. */
export async function settle<T>(work: () => Promise<T>, refused: (userErrors: UserError[]) => T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Refusal) return refused([error.error]);
    throw error;
  }
}

/** The userError for a malformed idempotency key, or null when it is fine. */
export const idempotencyKeyError = (key: string, field: string[] = ["input", "idempotencyKey"]): UserError | null =>
  validIdempotencyKey(key) ? null : userError("INVALID_IDEMPOTENCY_KEY", "idempotencyKey must be 1–255 printable ASCII characters.", field);
