import {
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
} from "graphql";
import type { Rng } from "./random.ts";

/**
 * Input values for the fuzzer, as a small tree printable both as a GraphQL literal (inline arguments) and as JSON
 * (variables). `wrongValue` keeps the GraphQL type and gets the meaning wrong (unknown or wrong-kind ids, negative
 * quantities, dates that do not exist, bad currency codes); `brokenValue` breaks the type itself.
 */
export type Value =
  | { kind: "scalar"; value: string | number | boolean | null }
  | { kind: "enum"; name: string }
  | { kind: "object"; fields: [string, Value][] }
  | { kind: "list"; items: Value[] };

export function literal(v: Value): string {
  switch (v.kind) {
    case "scalar":
      return JSON.stringify(v.value);
    case "enum":
      return v.name;
    case "object":
      return `{ ${v.fields.map(([k, f]) => `${k}: ${literal(f)}`).join(", ")} }`;
    case "list":
      return `[${v.items.map(literal).join(", ")}]`;
  }
}

export function json(v: Value): unknown {
  switch (v.kind) {
    case "scalar":
      return v.value;
    case "enum":
      return v.name;
    case "object":
      return Object.fromEntries(v.fields.map(([k, f]) => [k, json(f)]));
    case "list":
      return v.items.map(json);
  }
}

/** Real ids of the demo data by kind: one kind's id sent where another's is expected ("an id of the wrong type"). */
export type IdKind = "product" | "store" | "member" | "retailer";
export type IdPool = Record<IdKind, readonly string[]>;

export interface ValueContext {
  rng: Rng;
  ids: IdPool;
}

const s = (value: string | number | boolean | null): Value => ({ kind: "scalar", value });

// Strings a careless server chokes on: empty, whitespace, control characters, injection, paths, odd Unicode.
const NASTY_STRINGS = ["", " ", "\u0000", "\t\n", "' OR 1=1 --", "'; DROP TABLE x; --", "../../etc/passwd", "<script>alert(1)</script>", "%s%n%x", "${jndi:ldap://x}", "🛒🧾", "\u202e\u200b", "NaN", "null", "-1", "9".repeat(400)];
const BAD_IDS = ["", "42", "not-a-uuid", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "gid://Product/1", "' OR 1=1 --", "0x1f", "12345678-1234-1234-1234-1234567890123"];
const BAD_DATES = ["2026-13-45", "0000-00-00", "1999-02-30", "yesterday", "", "2026-1-1", "9999-12-31", "1900-01-01", "2026-11-23T10:00:00Z"];
const BAD_DATETIMES = ["not a time", "2026-11-23T25:00:00Z", "", "0", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-02-30T00:00:00Z"];
const BAD_CURRENCIES = ["XXX", "jpy", "US$", "", "JPYY", "€", "USD", "EUR"];
const BAD_INTS = [-1, 0, -2_147_483_648, 2_147_483_647, -100, 1_000_001, 100_000_001];
const BAD_FLOATS = [-91, 91, 181, -181, 1e308, -1e308, -0.0001, 0, 51, 1e-300];

function kindOfField(field: string): IdKind | null {
  const f = field.toLowerCase();
  if (f.includes("product")) return "product";
  if (f.includes("store")) return "store";
  if (f.includes("member")) return "member";
  if (f.includes("retailer")) return "retailer";
  return null;
}

/** An ID that names nothing of the kind the field wants: junk, an unknown UUID, or a real id of another kind. */
function wrongId(ctx: ValueContext, field: string): Value {
  const roll = ctx.rng.next();
  if (roll < 0.25) return s(ctx.rng.pick(BAD_IDS));
  if (roll < 0.6) return s(ctx.rng.uuid());
  const own = kindOfField(field);
  const kinds = (Object.keys(ctx.ids) as IdKind[]).filter((k) => k !== own && ctx.ids[k].length > 0);
  return s(ctx.rng.pick(ctx.ids[ctx.rng.pick(kinds)]));
}

function wrongString(ctx: ValueContext, field: string): string {
  const f = field.toLowerCase();
  if (f.includes("currency")) return ctx.rng.pick(BAD_CURRENCIES);
  if (f.includes("token")) return ctx.rng.pick(["tok_declined", "TOK_VISA", "", "tok_", `tok_${ctx.rng.text(50, "abc")}`, "tok_visa"]);
  if (ctx.rng.chance(0.5)) return ctx.rng.pick(NASTY_STRINGS);
  return ctx.rng.text(ctx.rng.int(0, 40));
}

/** A value of the right GraphQL type whose meaning is wrong. Optional input fields are sometimes left out. */
export function wrongValue(type: GraphQLInputType, ctx: ValueContext, field: string, depth = 0): Value {
  const nullable = getNullableType(type);
  if (!isNonNullType(type) && ctx.rng.chance(0.05)) return s(null);
  if (isListType(nullable)) {
    const n = ctx.rng.chance(0.03) ? 300 : ctx.rng.int(0, 3);
    return { kind: "list", items: Array.from({ length: n }, () => wrongValue(nullable.ofType, ctx, field, depth + 1)) };
  }
  if (isInputObjectType(nullable)) {
    const fields: [string, Value][] = [];
    for (const f of Object.values(nullable.getFields())) {
      const required = isNonNullType(f.type) && f.defaultValue === undefined;
      if (required || (depth < 3 && ctx.rng.chance(0.5))) fields.push([f.name, wrongValue(f.type, ctx, f.name, depth + 1)]);
    }
    return { kind: "object", fields };
  }
  if (isEnumType(nullable)) {
    const values = nullable.getValues();
    return { kind: "enum", name: ctx.rng.pick(values).name };
  }
  if (isScalarType(nullable)) {
    switch (nullable.name) {
      case "ID":
        return wrongId(ctx, field);
      case "Int":
        return s(ctx.rng.chance(0.7) ? ctx.rng.pick(BAD_INTS) : ctx.rng.int(-1_000_000, 1_000_000_000));
      case "Float":
        return s(ctx.rng.pick(BAD_FLOATS));
      case "Boolean":
        return s(ctx.rng.chance(0.5));
      case "Date":
        return s(ctx.rng.pick(BAD_DATES));
      case "DateTime":
        return s(ctx.rng.pick(BAD_DATETIMES));
      default:
        return s(wrongString(ctx, field));
    }
  }
  return s(null);
}

/** A value that breaks the GraphQL type somewhere: a wrong scalar, null for non-null, an unknown enum, a missing or extra field. */
export function brokenValue(type: GraphQLInputType, ctx: ValueContext, field: string): Value {
  const nullable = getNullableType(type);
  const roll = ctx.rng.next();
  if (isNonNullType(type) && roll < 0.15) return s(null);
  if (isListType(nullable)) {
    if (roll < 0.4) return { kind: "object", fields: [["not", s("a list")]] };
    return { kind: "list", items: [brokenValue(nullable.ofType, ctx, field)] };
  }
  if (isInputObjectType(nullable)) {
    const fields = Object.values(nullable.getFields());
    if (roll < 0.3) return s(ctx.rng.pick(["{}", 42, true]));
    const made: [string, Value][] = fields.map((f) => [f.name, wrongValue(f.type, ctx, f.name, 1)]);
    const broken = ctx.rng.int(0, made.length);
    if (broken === made.length) made.push([`unknown${ctx.rng.int(0, 99)}`, s("extra")]);
    else if (ctx.rng.chance(0.5)) made.splice(broken, 1);
    else made[broken] = [made[broken]![0], brokenValue(fields[broken]!.type, ctx, fields[broken]!.name)];
    return { kind: "object", fields: made };
  }
  if (isEnumType(nullable)) return ctx.rng.chance(0.5) ? { kind: "enum", name: `NOT_A_${ctx.rng.int(0, 9)}` } : s(ctx.rng.pick([nullable.getValues()[0]!.name, "", 3]));
  switch (nullable.name) {
    case "Int":
      return s(ctx.rng.pick(["ten", 4_294_967_296, 1.5, true, -9_007_199_254_740_993, "1"]));
    case "Float":
      return s(ctx.rng.pick(["north", true, "1e999"]));
    case "Boolean":
      return s(ctx.rng.pick(["yes", 1, 0, "true"]));
    case "ID":
      return s(ctx.rng.pick([true, 1.5, -0.5]));
    default:
      return ctx.rng.chance(0.5) ? s(ctx.rng.pick([42, 1.5, true])) : { kind: "list", items: [s("a"), s("b")] };
  }
}
