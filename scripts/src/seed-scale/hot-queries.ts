import { onSqlStatement, withSqlTransaction, type DatabaseTarget, type SubgraphName } from "@o2o/runtime";
import { apiSchema, buildManifest, readOperationSources } from "../persisted-manifest.ts";

/**
 * The hot read paths (product page, category listing, store finder) as the SQL they really send: the persisted
 * operations of schema/operations run through a live gateway while every subgraph statement is recorded
 * (`onSqlStatement`), then the statements that matter are picked out and EXPLAINed. So the check follows the
 * resolvers: change a query's shape and the plan it gets is what is checked, not a copy of the SQL.
 */

export interface HotInputs {
  sku: string;
  near: { lat: number; lng: number };
  categorySlug: string;
  /** A local date (YYYY-MM-DD) for pickup slots. */
  pickupDate: string;
}

/** One hot statement: which operation sends it, which subgraph runs it, how to recognise it, what its plan must use. */
export interface HotStatementSpec {
  label: string;
  operation: "ProductPage" | "ProductSearch" | "ProductSearchPage2" | "StoreFinder";
  subgraph: SubgraphName;
  matches: RegExp;
  /**
   * The index names (unqualified) an acceptable plan uses: every name of one of these alternatives. Alternatives
   * exist where the best drive depends on the data: the product's few stock rows first at scale, the few stores in
   * the box first on the demo seed.
   */
  plans: string[][];
}

export const HOT_STATEMENTS: HotStatementSpec[] = [
  { label: "product page: product by sku", operation: "ProductPage", subgraph: "products", matches: /FROM "products"\."product" WHERE "products"\."product"\."sku" IN/, plans: [["product_sku_key"]] },
  {
    label: "product page: availability near (first 5)",
    operation: "ProductPage",
    subgraph: "stores",
    matches: /row_number\(\) OVER \(PARTITION BY st\."product_id"/,
    plans: [
      ["stock_product_id_idx", "store_pkey"],
      ["store_lat_lng_idx", "stock_pkey"],
    ],
  },
  { label: "product page: stores by id", operation: "ProductPage", subgraph: "stores", matches: /FROM "stores"\."store" WHERE "stores"\."store"\."id" IN/, plans: [["store_pkey"]] },
  { label: "product page: pickup slots", operation: "ProductPage", subgraph: "logistics", matches: /JOIN "logistics"\."pickup_slot_plan" p/, plans: [["pickup_slot_plan_store_id_weekday_idx", "fulfillment_store_id_slot_starts_at_idx"]] },
  { label: "category listing: slug to id", operation: "ProductSearch", subgraph: "products", matches: /FROM "products"\."category" WHERE .*"slug" = /s, plans: [["category_slug_key"]] },
  {
    label: "category listing: first 50",
    operation: "ProductSearch",
    subgraph: "products",
    matches: /FROM "products"\."product" WHERE .*"category_id" = .* ORDER BY "products"\."product"\."sku"/s,
    plans: [["product_category_id_sku_idx"]],
  },
  {
    label: "category listing: next 50 (keyset)",
    operation: "ProductSearchPage2",
    subgraph: "products",
    matches: /FROM "products"\."product" WHERE .*"category_id" = .*"sku" > .* ORDER BY "products"\."product"\."sku"/s,
    plans: [["product_category_id_sku_idx"]],
  },
  { label: "store finder: stores near (10 km)", operation: "StoreFinder", subgraph: "stores", matches: /ORDER BY c\."distanceKm", c\."id"/, plans: [["store_lat_lng_idx"]] },
  { label: "store finder: opening hours", operation: "StoreFinder", subgraph: "stores", matches: /FROM "stores"\."opening_hours" WHERE/, plans: [["opening_hours_pkey"]] },
  { label: "store finder: pickup slots", operation: "StoreFinder", subgraph: "logistics", matches: /JOIN "logistics"\."pickup_slot_plan" p/, plans: [["pickup_slot_plan_store_id_weekday_idx", "fulfillment_store_id_slot_starts_at_idx"]] },
];

export interface RecordedStatement {
  subgraph: SubgraphName;
  sql: string;
  args: unknown[];
}
export interface HotStatement extends HotStatementSpec {
  statement: RecordedStatement;
}

type GraphQLResult = { data?: Record<string, unknown> | null; errors?: { message: string }[] };

/** Runs the hot operations through the gateway at `gatewayUrl`, recording what each sent; returns the hot statements found. */
export async function recordHotStatements(gatewayUrl: string, inputs: HotInputs): Promise<{ found: HotStatement[]; missing: HotStatementSpec[] }> {
  const bodies = new Map(buildManifest(readOperationSources(), apiSchema()).operations.map((o) => [o.name, o.body]));
  const run = async (operation: string, variables: Record<string, unknown>) => {
    const recorded: RecordedStatement[] = [];
    const stop = onSqlStatement((subgraph, query) => recorded.push({ subgraph, sql: query.sql, args: query.args }));
    try {
      const response = await fetch(gatewayUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "apollo-require-preflight": "true" },
        body: JSON.stringify({ query: bodies.get(operation), variables }),
      });
      const result = (await response.json()) as GraphQLResult;
      if (!result.data) throw new Error(`${operation}: ${JSON.stringify(result.errors)}`);
      return { result, recorded };
    } finally {
      stop();
    }
  };
  const page = await run("ProductSearch", { categorySlug: inputs.categorySlug, first: 50 });
  const endCursor = (page.result.data?.products as { pageInfo: { endCursor: string | null } }).pageInfo.endCursor;
  const byOperation: Record<HotStatementSpec["operation"], RecordedStatement[]> = {
    ProductPage: (await run("ProductPage", { sku: inputs.sku, near: inputs.near, pickupDate: inputs.pickupDate })).recorded,
    ProductSearch: page.recorded,
    ProductSearchPage2: (await run("ProductSearch", { categorySlug: inputs.categorySlug, first: 50, after: endCursor })).recorded,
    StoreFinder: (await run("StoreFinder", { near: inputs.near, radiusKm: 10, pickupDate: inputs.pickupDate })).recorded,
  };
  const found: HotStatement[] = [];
  const missing: HotStatementSpec[] = [];
  for (const spec of HOT_STATEMENTS) {
    const statement = byOperation[spec.operation].find((s) => s.subgraph === spec.subgraph && spec.matches.test(s.sql));
    if (statement) found.push({ ...spec, statement });
    else missing.push(spec);
  }
  return { found, missing };
}

/** A node of EXPLAIN (FORMAT JSON)'s plan tree (the fields read here). */
export interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  "Actual Total Time"?: number;
  Plans?: PlanNode[];
}
export interface Explained {
  plan: PlanNode;
  executionMs?: number;
  planningMs?: number;
}

/**
 * EXPLAIN of a recorded statement with its own arguments, in a transaction of its own. `seqscanOff` makes the
 * planner take any usable index even on tiny tables (the small demo seed), so the plan shows whether one exists.
 */
export async function explain(target: DatabaseTarget, statement: RecordedStatement, options: { analyze?: boolean; seqscanOff?: boolean } = {}): Promise<Explained> {
  return withSqlTransaction(target, async (tx) => {
    if (options.seqscanOff) await tx.exec("SET LOCAL enable_seqscan = off");
    const rows = await tx.query<{ "QUERY PLAN": unknown }>(`EXPLAIN (${options.analyze ? "ANALYZE, " : ""}FORMAT JSON) ${statement.sql}`, statement.args);
    const raw = rows[0]!["QUERY PLAN"];
    const [top] = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode; "Execution Time"?: number; "Planning Time"?: number }[];
    return { plan: top!.Plan, executionMs: top!["Execution Time"], planningMs: top!["Planning Time"] };
  });
}

/** The first of `spec.plans` whose indexes the plan all uses, or undefined. */
export function matchingPlan(spec: HotStatementSpec, plan: PlanNode): string[] | undefined {
  const used = new Set(indexesUsed(plan));
  return spec.plans.find((names) => names.every((name) => used.has(name)));
}

/** Every node of the plan tree, depth first. */
export function planNodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(planNodes)];
}

export const indexesUsed = (plan: PlanNode) => [...new Set(planNodes(plan).flatMap((n) => (n["Index Name"] ? [n["Index Name"]] : [])))];
export const seqScans = (plan: PlanNode) => planNodes(plan).flatMap((n) => (n["Node Type"] === "Seq Scan" ? [n["Relation Name"] ?? "?"] : []));

/** Tomorrow's date in Asia/Tokyo, for pickup slots. */
export function tomorrowInTokyo(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(now.getTime() + 86_400_000));
}
