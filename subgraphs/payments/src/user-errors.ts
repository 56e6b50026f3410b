/** A mutation payload's userErrors entry (schema.graphql `UserError`). */
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
 * Thrown inside a transaction to refuse the whole request: the transaction rolls back (nothing
 * partial is written) and the caller turns it into a userErrors entry.
 */
export class Refusal extends Error {
  constructor(readonly error: UserError) {
    super(error.message);
  }
}

export const refuse = (code: string, message: string, field: (string | number)[] | null = null): never => {
  throw new Refusal(userError(code, message, field));
};

/** Runs `work`; a Refusal becomes `{ userErrors: [it] }`, anything else propagates. */
export async function refusalsAsUserErrors<T extends object>(work: () => Promise<T>): Promise<T | { userErrors: UserError[] }> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Refusal) return { userErrors: [error.error] };
    throw error;
  }
}
