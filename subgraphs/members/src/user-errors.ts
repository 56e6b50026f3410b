/** A mutation payload's userErrors entry (schema.graphql `UserError`). */
export interface UserError {
  code: string;
  message: string;
  field: string[] | null;
}

export const userError = (code: string, message: string, field: string[] | null = null): UserError => ({ code, message, field });
