import {
  apiKeyCacheKey,
  isId,
  isScope,
  newApiKeySecret,
  parseId,
  parsePage,
  refuse,
  settle,
  toConnection,
  type Cache,
  type PageArgs,
  type UserError,
} from "@o2o/runtime";
import { randomUUID } from "node:crypto";
import type { StoresContext } from "./context.ts";
import type { ApiKeyCredential as CredentialAnswer } from "./generated/graphql.ts";
import type { ApiKey as ApiKeyModel, RateLimitTier } from "./generated/prisma/client.ts";

/**
 * API keys: made, listed, rotated and revoked by platform admins (scope `admin`, checked at the gateway
 * and again in the resolvers), looked up by the gateway by the key's hash. Only hashes are stored; the
 * secret is in the answer of create/rotate and nowhere else (not in logs: only the prefix is logged).
 */
export interface ApiKeyAnswer {
  apiKey: ApiKeyModel | null;
  secret: string | null;
  userErrors: UserError[];
}

export interface CreateApiKeyArgs {
  name: string;
  retailerId?: string | null;
  /** A device key: the one store of `retailerId` it acts at. */
  storeId?: string | null;
  scopes: string[];
  tier?: RateLimitTier | null;
  safelistOnly?: boolean | null;
  expiresAt?: Date | null;
}

const failed = (userErrors: UserError[]): ApiKeyAnswer => ({ apiKey: null, secret: null, userErrors });

export async function createApiKey(ctx: Pick<StoresContext, "prisma" | "now">, input: CreateApiKeyArgs): Promise<ApiKeyAnswer> {
  return settle(async () => {
    const name = input.name.trim();
    if (!name || name.length > 100) refuse("INVALID_NAME", "Give the key a name of 1 to 100 characters.", ["input", "name"]);
    const unknown = input.scopes.filter((s) => !isScope(s));
    if (unknown.length) refuse("UNKNOWN_SCOPE", `Unknown scopes: ${unknown.join(", ")}.`, ["input", "scopes"]);
    if (input.scopes.length === 0) refuse("NO_SCOPES", "Give the key at least one scope.", ["input", "scopes"]);
    if (input.expiresAt && input.expiresAt <= ctx.now) refuse("EXPIRY_IN_PAST", "expiresAt must be in the future.", ["input", "expiresAt"]);
    const retailerId = input.retailerId ? await retailerOf(ctx, input.retailerId) : null;
    if (retailerId && input.scopes.includes("admin")) refuse("ADMIN_IS_PLATFORM_ONLY", "Only platform keys (no retailer) may hold the admin scope.", ["input", "scopes"]);
    const storeId = input.storeId ? await storeOf(ctx, input.storeId, retailerId) : null;
    const key = newApiKeySecret();
    const apiKey = await ctx.prisma.apiKey.create({
      data: {
        id: randomUUID(),
        name,
        prefix: key.prefix,
        secretHash: key.hash,
        retailerId,
        storeId,
        scopes: [...new Set(input.scopes)].sort(),
        tier: input.tier ?? "STANDARD",
        safelistOnly: input.safelistOnly ?? false,
        expiresAt: input.expiresAt ?? null,
      },
    });
    return { apiKey, secret: key.secret, userErrors: [] };
  }, failed);
}

async function retailerOf(ctx: Pick<StoresContext, "prisma">, id: string): Promise<string> {
  const retailer = isId(id) ? await ctx.prisma.retailer.findUnique({ where: { id: id.toLowerCase() }, select: { id: true } }) : null;
  return retailer?.id ?? refuse("UNKNOWN_RETAILER", "No retailer has that id.", ["input", "retailerId"]);
}

/** A device key's store: a store of the key's own retailer (a platform key cannot be store-bound). */
async function storeOf(ctx: Pick<StoresContext, "prisma">, id: string, retailerId: string | null): Promise<string> {
  const store = isId(id) ? await ctx.prisma.store.findUnique({ where: { id: id.toLowerCase() }, select: { id: true, retailerId: true } }) : null;
  if (!store) refuse("UNKNOWN_STORE", "No store has that id.", ["input", "storeId"]);
  if (store!.retailerId !== retailerId) refuse("STORE_NOT_OF_RETAILER", "A key can only be bound to a store of its own retailer (give retailerId).", ["input", "storeId"]);
  return store!.id;
}

/** A new secret for the same key (same id, scopes and limits); the old secret stops working at once. */
export async function rotateApiKey(ctx: Pick<StoresContext, "prisma" | "now" | "cache">, id: string): Promise<ApiKeyAnswer> {
  return settle(async () => {
    const old = await liveKey(ctx, id);
    const key = newApiKeySecret();
    const apiKey = await ctx.prisma.apiKey.update({ where: { id: old.id }, data: { prefix: key.prefix, secretHash: key.hash, rotatedAt: ctx.now } });
    await ctx.cache.del(apiKeyCacheKey(old.secretHash));
    return { apiKey, secret: key.secret, userErrors: [] };
  }, failed);
}

export async function revokeApiKey(ctx: Pick<StoresContext, "prisma" | "now" | "cache">, id: string): Promise<ApiKeyAnswer> {
  return settle(async () => {
    const key = await findKey(ctx, id);
    const apiKey = key.revokedAt ? key : await ctx.prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: ctx.now } });
    // Gateways cache credentials briefly; dropping the entry makes every replica see the revocation on its next request.
    await ctx.cache.del(apiKeyCacheKey(key.secretHash));
    return { apiKey, secret: null, userErrors: [] };
  }, failed);
}

async function findKey(ctx: Pick<StoresContext, "prisma">, id: string): Promise<ApiKeyModel> {
  const key = isId(id) ? await ctx.prisma.apiKey.findUnique({ where: { id: id.toLowerCase() } }) : null;
  return key ?? refuse("KEY_NOT_FOUND", "No API key has that id.", ["id"]);
}

async function liveKey(ctx: Pick<StoresContext, "prisma">, id: string): Promise<ApiKeyModel> {
  const key = await findKey(ctx, id);
  return key.revokedAt ? refuse("KEY_REVOKED", "A revoked key cannot be rotated; create a new one.", ["id"]) : key;
}

type KeyCursor = [createdAt: string, id: string];
const isKeyCursor = (v: unknown): v is KeyCursor => Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && !Number.isNaN(Date.parse(v[0])) && isId(v[1]);

/** `apiKeys`: newest first, keyset-paged on (createdAt, id). */
export async function listApiKeys(ctx: Pick<StoresContext, "prisma">, args: PageArgs & { retailerId?: string | null }) {
  const page = parsePage(args, isKeyCursor);
  const retailerId = args.retailerId ? parseId(args.retailerId, "retailerId") : undefined;
  const after = page.after ? { createdAt: new Date(page.after[0]), id: page.after[1] } : null;
  const rows = await ctx.prisma.apiKey.findMany({
    where: {
      ...(retailerId ? { retailerId } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.take + 1,
  });
  return toConnection(rows, page, (k) => [k.createdAt.toISOString(), k.id]);
}

export const keyStatus = (key: ApiKeyModel, now: Date) => (key.revokedAt ? "REVOKED" : key.expiresAt && key.expiresAt <= now ? "EXPIRED" : "ACTIVE");

/** The gateway's lookup: null for a hash no key has. */
export async function apiKeyCredential(ctx: Pick<StoresContext, "prisma">, secretHash: string): Promise<CredentialAnswer | null> {
  if (!/^[0-9a-f]{64}$/.test(secretHash)) return null;
  const key = await ctx.prisma.apiKey.findUnique({ where: { secretHash } });
  if (!key) return null;
  return {
    id: key.id,
    prefix: key.prefix,
    retailerId: key.retailerId,
    storeId: key.storeId,
    scopes: key.scopes,
    tier: key.tier,
    safelistOnly: key.safelistOnly,
    expiresAt: key.expiresAt,
    revoked: key.revokedAt !== null,
  };
}

