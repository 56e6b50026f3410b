import { randomUUID } from "node:crypto";
import { GraphQLError } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idempotent, requestHash, validIdempotencyKey } from "../src/idempotency.ts";
import { createTestSql, type TestSql } from "./support/sql-client.ts";
import { pause } from "./support/wait.ts";

const SCHEMA = "payments";
let sql: TestSql;
beforeAll(async () => {
  sql = await createTestSql();
  await sql.createSchema(SCHEMA);
});
afterAll(async () => sql?.close());

const key = () => `key-${randomUUID()}`;
const records = (k: string) => sql.rows<{ state: string }>(`SELECT state FROM "payments"."idempotency_record" WHERE key = $1`, k);

describe("idempotent()", () => {
  it("runs the work once for 20 concurrent calls with one key; all get the same answer", async () => {
    const k = key();
    let runs = 0;
    const work = async () => {
      runs++;
      await pause(100); // long enough for every duplicate to find the claim in progress
      return { orderId: randomUUID(), total: { cents: 4200, currency: "EUR" }, lines: [{ sku: "A", qty: 2 }] };
    };
    const request = { cartId: "c1", lines: [{ sku: "A", qty: 2 }] };
    const results = await Promise.all(Array.from({ length: 20 }, () => idempotent(sql.db, SCHEMA, "checkout", k, request, work)));
    expect(runs).toBe(1);
    for (const r of results) expect(r).toEqual(results[0]);
    expect(await records(k)).toEqual([{ state: "DONE" }]);
    // A retry long after gets the stored answer too, without running the work.
    expect(await idempotent(sql.db, SCHEMA, "checkout", k, request, work)).toEqual(results[0]);
    expect(runs).toBe(1);
  });

  it("refuses the same key with a different request body", async () => {
    const k = key();
    await idempotent(sql.db, SCHEMA, "checkout", k, { cartId: "c1" }, async () => ({ ok: true }));
    let runs = 0;
    const error = await idempotent(sql.db, SCHEMA, "checkout", k, { cartId: "c2" }, async () => ++runs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "IDEMPOTENCY_KEY_REUSED" });
    expect(runs).toBe(0);
  });

  it("refuses a different body while the first request is still being worked on", async () => {
    const k = key();
    const first = idempotent(sql.db, SCHEMA, "checkout", k, { cartId: "c1" }, async () => (await pause(150), "first"));
    await pause(30);
    const error = await idempotent(sql.db, SCHEMA, "checkout", k, { cartId: "c2" }, async () => "second").catch((e: unknown) => e);
    expect((error as GraphQLError).extensions?.reason).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await first).toBe("first");
  });

  it("keeps scopes apart: one key in two scopes is two requests", async () => {
    const k = key();
    expect(await idempotent(sql.db, SCHEMA, "checkout", k, { a: 1 }, async () => "checkout")).toBe("checkout");
    expect(await idempotent(sql.db, SCHEMA, "refund", k, { b: 2 }, async () => "refund")).toBe("refund");
  });

  it("releases the key when the work throws, so the next call runs the work again", async () => {
    const k = key();
    let runs = 0;
    await expect(
      idempotent(sql.db, SCHEMA, "checkout", k, { cartId: "c1" }, async () => {
        runs++;
        throw new Error("processor declined");
      }),
    ).rejects.toThrow("processor declined");
    expect(await records(k)).toEqual([]);
    const result = await idempotent(sql.db, SCHEMA, "checkout", k, { cartId: "c1" }, async () => (runs++, { paid: true }));
    expect(result).toEqual({ paid: true });
    expect(runs).toBe(2);
  });

  it("takes over a claim whose worker died (lease expired) and runs the work", async () => {
    const k = key();
    const request = { cartId: "c1" };
    await sql.db.$executeRawUnsafe(
      `INSERT INTO "payments"."idempotency_record" (scope, key, request_hash, state, locked_until) VALUES ('checkout', $1, $2, 'IN_PROGRESS', now() - interval '1 second')`,
      k,
      requestHash(request),
    );
    expect(await idempotent(sql.db, SCHEMA, "checkout", k, request, async () => "resumed")).toBe("resumed");
    expect(await records(k)).toEqual([{ state: "DONE" }]);
  });

  it("stores answers that are not objects (strings, numbers, null) faithfully", async () => {
    for (const answer of ["text", 42, null, [1, "two"]]) {
      const k = key();
      await idempotent(sql.db, SCHEMA, "s", k, {}, async () => answer);
      expect(await idempotent(sql.db, SCHEMA, "s", k, {}, async () => "ran again")).toEqual(answer);
    }
  });
});

describe("requestHash", () => {
  it("ignores key order, at every depth", () => {
    expect(requestHash({ a: 1, b: { c: 2, d: [{ x: 1, y: 2 }] } })).toBe(requestHash({ b: { d: [{ y: 2, x: 1 }], c: 2 }, a: 1 }));
  });

  it("tells different requests apart, including array order", () => {
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
    expect(requestHash({ a: [1, 2] })).not.toBe(requestHash({ a: [2, 1] }));
    expect(requestHash({ a: "1" })).not.toBe(requestHash({ a: 1 }));
  });
});

describe("validIdempotencyKey", () => {
  it("accepts 1 to 255 printable ASCII characters and nothing else", () => {
    expect(validIdempotencyKey("a")).toBe(true);
    expect(validIdempotencyKey(randomUUID())).toBe(true);
    expect(validIdempotencyKey("x".repeat(255))).toBe(true);
    expect(validIdempotencyKey("")).toBe(false);
    expect(validIdempotencyKey("x".repeat(256))).toBe(false);
    expect(validIdempotencyKey("has space")).toBe(false);
    expect(validIdempotencyKey("ümlaut")).toBe(false);
  });
});
