import { badUserInput } from "./errors.ts";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page<K> {
  /** Rows to fetch: one more than asked, to know whether there is a next page. */
  take: number;
  first: number;
  /** The keyset position to continue after, decoded from the cursor. */
  after: K | null;
}

/** Validates `first`/`after` and decodes the opaque cursor. Bad values are BAD_USER_INPUT. */
export function parsePage<K>(args: PageArgs, isKey: (value: unknown) => value is K, max = MAX_PAGE_SIZE): Page<K> {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0) throw badUserInput("first must be a non-negative integer", { argument: "first" });
  if (first > max) throw badUserInput(`first must be at most ${max}`, { argument: "first", maximum: max });
  return { first, take: first + 1, after: args.after ? decodeCursor(args.after, isKey) : null };
}

/** Most connections page by one UUID/string key. */
export const isStringKey = (value: unknown): value is string => typeof value === "string" && value.length <= 200;

export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor<K>(cursor: string, isKey: (value: unknown) => value is K): K {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    value = undefined;
  }
  if (value === undefined || !isKey(value)) throw badUserInput("after is not a cursor this API issued", { argument: "after" });
  return value;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** Builds a Relay connection from `take` rows fetched in keyset order. */
export function toConnection<T>(rows: T[], page: Page<unknown>, keyOf: (row: T) => unknown): Connection<T> {
  const nodes = rows.slice(0, page.first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > page.first,
      hasPreviousPage: page.after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
