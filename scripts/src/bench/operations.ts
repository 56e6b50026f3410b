import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { signMemberToken } from "@o2o/gateway/auth";
import { ANONYMOUS, CALLER_HEADER, demoMemberId, MEMBER_SCOPES, signCaller, type Caller } from "@o2o/runtime";
import { MANIFEST_PATH, type Manifest } from "../persisted-manifest.ts";

/** One operation the bench puts load on: the same body and variables against every gateway. */
export interface BenchOperation {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  /** The demo member it runs as (member key), or null for an anonymous shopper. */
  member: string | null;
}

export type GatewayKind = "ours" | "hive";

export interface GeoPoint {
  lat: number;
  lng: number;
}

/** The storefront's own operations, as Apollo Client sends them (the persisted manifest's bodies, `__typename` added). */
export function manifestBody(name: string): string {
  const manifest = JSON.parse(readFileSync(MANIFEST_PATH, "utf8")) as Manifest;
  const operation = manifest.operations.find((o) => o.name === name);
  if (!operation) throw new Error(`No operation ${name} in ${MANIFEST_PATH}`);
  return operation.body;
}

const CATEGORY_LISTING = `query CategoryListing($category: String!, $near: GeoPointInput!) {
  products(first: 50, filter: { categorySlug: $category }) {
    edges { node { id sku name price { amount currency } availability(near: $near, first: 3) { quantity distanceKm store { id name } } } }
  }
}`;

const AVAILABLE_NEAR_ME = `query AvailableNearMe($sku: String!, $near: GeoPointInput!) {
  product(sku: $sku) { availability(near: $near, first: 5) { distanceKm quantity store { id name } } }
}`;

export interface OperationSet {
  sku: string;
  near: GeoPoint;
  category: string;
  member: string;
  /** Scale mode adds "available near me". */
  scale: boolean;
}

/**
 * Product page (schema/operations/product-page.graphql, anonymous: the shopper browsing before signing in), a
 * 50-product category listing with each product's availability near the shopper, and a member's order history
 * (schema/operations/my-orders.graphql).
 */
export function benchOperations(set: OperationSet): BenchOperation[] {
  const tomorrow = new Date(Date.now() + 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Asia/Tokyo" });
  const operations: BenchOperation[] = [
    { name: "product page", query: manifestBody("ProductPage"), variables: { sku: set.sku, near: set.near, pickupDate: tomorrow }, member: null },
    { name: "category listing (50)", query: CATEGORY_LISTING, variables: { category: set.category, near: set.near }, member: null },
    { name: "order history", query: manifestBody("MyOrders"), variables: { first: 10 }, member: set.member },
  ];
  if (set.scale) operations.push({ name: "available near me", query: AVAILABLE_NEAR_ME, variables: { sku: set.sku, near: set.near }, member: null });
  return operations;
}

/** With `sharedCaller`, how long one signed caller header is reused (subgraphs accept one for 5 minutes). */
const RESIGN_MS = 60_000;

/**
 * The request headers for `operation` against a gateway, as a function (called per request).
 * Ours: nothing for anonymous, `Authorization: Bearer mt_…` for a member — our gateway authenticates and signs.
 * Hive: the client sends the signed caller header itself (what our gateway would have made), which Hive forwards.
 * Every request carries its own `x-request-id` (and, to Hive, its own signed header), so every request is distinct as
 * from different shoppers: Hive deduplicates identical subgraph requests in flight (url, body and forwarded headers
 * equal), and 16 connections sending byte-identical requests would otherwise share most of their subgraph fetches —
 * which our gateway never does (issue 10 adds it). `sharedCaller` sends Hive one header for a minute, with no request
 * id, to show what that deduplication is worth.
 */
export function headersFor(operation: BenchOperation, gateway: GatewayKind, sharedCaller = false): () => Record<string, string> {
  const base = { "content-type": "application/json" };
  // A request id of its own on every request, as from distinct shoppers: both gateways forward it to every subgraph
  // fetch (ours always does; serve-hive.ts propagates it), so no two subgraph requests are byte-identical.
  const distinct = (headers: Record<string, string>) => ({ ...headers, "x-request-id": randomUUID() });
  const memberId = operation.member ? demoMemberId(operation.member) : null;
  if (gateway === "ours") {
    const headers = memberId ? { ...base, authorization: `Bearer ${signMemberToken(memberId, 24 * 3600)}` } : base;
    return () => distinct(headers);
  }
  const caller: Caller = memberId ? { ...ANONYMOUS, memberId, scopes: [...MEMBER_SCOPES] } : ANONYMOUS;
  if (!sharedCaller) return () => distinct({ ...base, [CALLER_HEADER]: signCaller(caller) });
  let signedAt = 0;
  let headers: Record<string, string> = base;
  return () => {
    if (Date.now() - signedAt > RESIGN_MS) {
      signedAt = Date.now();
      headers = { ...base, [CALLER_HEADER]: signCaller(caller) };
    }
    return headers;
  };
}

export const requestBody = (operation: BenchOperation) => JSON.stringify({ query: operation.query, variables: operation.variables });
