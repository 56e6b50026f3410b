import { GraphQLError } from "graphql";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { formatError } from "../src/errors.ts";
import { isDatabaseUnavailable } from "../src/database-errors.ts";

// A database that is down or restarting answers clients with SERVICE_UNAVAILABLE (retry), not a masked internal error.
const prismaLike = (code: string, cause: Record<string, unknown>) =>
  Object.assign(new Error("\nInvalid `prisma.member.findMany()` invocation:\n\nCan't reach database server at 127.0.0.1:5432"), {
    code,
    meta: { driverAdapterError: { name: "DriverAdapterError", cause } },
  });

describe("isDatabaseUnavailable", () => {
  it("recognises Prisma, driver-adapter and pg connection failures", () => {
    expect(isDatabaseUnavailable(prismaLike("P1001", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 }))).toBe(true);
    expect(isDatabaseUnavailable(prismaLike("P2010", { kind: "postgres", code: "57P01" }))).toBe(true);
    expect(isDatabaseUnavailable(prismaLike("P2010", { kind: "postgres", code: "57P03" }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new GraphQLError("wrapped", { originalError: Object.assign(new Error("x"), { cause: { code: "08006" } }) }).originalError)).toBe(true);
  });

  it("leaves other database errors alone (they are bugs, masked as INTERNAL_SERVER_ERROR)", () => {
    expect(isDatabaseUnavailable(prismaLike("P2002", { kind: "UniqueConstraintViolation" }))).toBe(false);
    expect(isDatabaseUnavailable(prismaLike("P2010", { kind: "postgres", code: "42P01" }))).toBe(false);
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });

  it("really matches what pg throws for a closed port", async () => {
    const client = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:1/postgres" });
    const error = await client.connect().catch((err: unknown) => err);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});

describe("formatError for an unreachable database", () => {
  it("answers SERVICE_UNAVAILABLE (reason DATABASE_UNAVAILABLE) with no internals", () => {
    const error = new GraphQLError("Can't reach database server", { path: ["me"], originalError: prismaLike("P1001", { kind: "DatabaseNotReachable" }) });
    const formatted = formatError({ message: error.message, path: ["me"], extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["at x"] } }, error);
    expect(formatted).toEqual({
      message: "This data is temporarily unavailable (its database cannot be reached); try again shortly.",
      path: ["me"],
      extensions: { code: "SERVICE_UNAVAILABLE", reason: "DATABASE_UNAVAILABLE" },
    });
  });

  it("still masks anything else as INTERNAL_SERVER_ERROR", () => {
    const error = new GraphQLError("boom", { originalError: new Error("boom") });
    expect(formatError({ message: "boom", extensions: { code: "INTERNAL_SERVER_ERROR" } }, error).extensions).toEqual({ code: "INTERNAL_SERVER_ERROR" });
  });
});
