import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function invalid(what: string, value: unknown): GraphQLError {
  return new GraphQLError(`${what} must be ${what === "Date" ? "an ISO date like 2026-11-23" : "an ISO-8601 date-time with offset"}, got ${JSON.stringify(value)?.slice(0, 64)}`, {
    extensions: { code: "BAD_USER_INPUT" },
  });
}

function parseDate(value: unknown): string {
  if (typeof value !== "string" || !DATE.test(value)) throw invalid("Date", value);
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) throw invalid("Date", value);
  return value;
}

/** `scalar Date`: a calendar day, `YYYY-MM-DD`, kept as that string (no time zone shifts). */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: "Date",
  description: "A calendar date, ISO 8601 `YYYY-MM-DD`.",
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : parseDate(value)),
  parseValue: parseDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw invalid("Date", "non-string literal");
    return parseDate(ast.value);
  },
});

function parseDateTime(value: unknown): Date {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) throw invalid("DateTime", value);
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw invalid("DateTime", value);
  return d;
}

/** `scalar DateTime`: an instant, serialized as ISO 8601 in UTC (`2026-11-23T01:00:00.000Z`). */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "An instant, ISO 8601 with offset; always returned in UTC.",
  serialize: (value) => (value instanceof Date ? value : parseDateTime(value)).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw invalid("DateTime", "non-string literal");
    return parseDateTime(ast.value);
  },
});
