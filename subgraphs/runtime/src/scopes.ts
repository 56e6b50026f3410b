import type { Caller } from "./caller.ts";
import { forbidden, unauthenticated } from "./errors.ts";

/**
 * The scopes an API key (or a member token) can hold, and what each lets its holder do. The SDLs
 * name them in `@requiresScopes`; the gateway refuses fields whose scopes the caller lacks, and the
 * subgraph that owns the data checks again and binds the caller to its own data:
 * a member to themself, a partner key (one with a retailer) to that retailer's stores, stock,
 * orders and loyalty club; a platform key (no retailer) to everything.
 */
export const SCOPES = {
  "inventory:read": "Read exact stock levels of stores (a partner key: its own stores).",
  "inventory:write": "Set stock levels (a partner key: its own stores).",
  "catalog:write": "Change list prices in the catalogue (platform keys only: the catalogue is the platform's).",
  "orders:read": "Read orders and fulfilments (a member: their own; a partner key: those credited to its stores).",
  "orders:write": "Place, pay, cancel and capture orders (a member: their own; a partner key: capture at its counters).",
  "fulfillment:write": "Run store counters: mark orders ready, hand them over, dispatch and confirm deliveries (a partner key: its own stores).",
  "payments:write": "Refund orders, top up wallets, issue and bind prepaid cards (a partner key: its own orders and cards).",
  "members:read": "Read member profiles (a partner key: members of its loyalty club).",
  "members:pii": "Read members' travel identities (a partner key: members of its loyalty club).",
  "loyalty:write": "Add or take points (a partner key: members of its loyalty club).",
  "analytics:read": "Read store performance: visits, showroom conversion, assortment advice (a partner key: its own stores).",
  "visits:write": "Record store visits from door counters and member app scans (a partner key: its own stores).",
  "services:write": "Run service-centre counters: receive items, quote, progress, hand back (a partner key: its own stores).",
  "sensors:write": "Checkout-free gates and shelf sensors: open sessions, report items taken and put back (a device key bound to one store).",
  "replenishment:write": "Order stock from the platform for a store (a partner key: its own stores; a platform key ships the orders).",
  "schema:read": "Introspect the schema where introspection is otherwise off.",
  admin: "Create, list, rotate and revoke API keys (platform keys only).",
} as const;
export type Scope = keyof typeof SCOPES;
export const isScope = (s: string): s is Scope => s in SCOPES;

/** A member token's scopes: the member's own data only (the subgraphs bind them to `memberId`). */
export const MEMBER_SCOPES: readonly Scope[] = ["orders:read", "orders:write", "payments:write", "members:read", "members:pii"];

/** Whether the caller holds a scope (from an API key or a member token). */
export const hasScope = (caller: Caller, scope: Scope): boolean => caller.scopes.includes(scope);

/** A key of a partner retailer: bound to that retailer's data. */
export const isPartnerKey = (caller: Caller): boolean => caller.keyId !== null && caller.retailerId !== null;

/** A key of the platform itself (no retailer): not bound to any one retailer. */
export const isPlatformKey = (caller: Caller): boolean => caller.keyId !== null && caller.retailerId === null;

/**
 * Whether an API key holding `scope` may act on data that belongs to `ownerRetailerId`: platform
 * keys on anything, partner keys only on their own retailer's. Members are not keys: false.
 */
export function keyMayActFor(caller: Caller, scope: Scope, ownerRetailerId: string | null | undefined): boolean {
  if (caller.keyId === null || !hasScope(caller, scope)) return false;
  return caller.retailerId === null || (ownerRetailerId != null && caller.retailerId === ownerRetailerId.toLowerCase());
}

/**
 * `keyMayActFor` when the owner has to be looked up (a store's retailer, a member's clubs): `owners` runs only for a
 * partner key holding `scope`; a platform key reaches everything, anyone who is not a key nothing.
 */
export async function keyMayActForAnyOf(caller: Caller, scope: Scope, owners: () => Promise<readonly (string | null)[]>): Promise<boolean> {
  if (caller.keyId === null || !hasScope(caller, scope)) return false;
  if (caller.retailerId === null) return true;
  return (await owners()).some((owner) => keyMayActFor(caller, scope, owner));
}

/**
 * Whether an API key holding `scope` may act at one store owned by `ownerRetailerId`: `keyMayActFor` (platform keys
 * anywhere, partner keys at their retailer's stores) and, for a device key bound to a store (`caller.storeId`), only
 * at that store. Members are not keys: false.
 */
export function keyMayActAtStore(caller: Caller, scope: Scope, storeId: string | null | undefined, ownerRetailerId: string | null | undefined): boolean {
  if (!keyMayActFor(caller, scope, ownerRetailerId)) return false;
  return caller.storeId == null || (storeId != null && caller.storeId.toLowerCase() === storeId.toLowerCase());
}

/**
 * The subgraph's own check of a field's `@requiresScopes` (defence in depth behind the gateway):
 * UNAUTHENTICATED for an anonymous caller, FORBIDDEN for one without the scope.
 */
export function requireScope(caller: Caller, scope: Scope): void {
  if (caller.keyId === null && caller.memberId === null && caller.service === null) throw unauthenticated(`This needs an API key or a member token with the ${scope} scope.`);
  if (caller.service === null && !hasScope(caller, scope)) throw forbidden(`This needs the ${scope} scope.`);
}
