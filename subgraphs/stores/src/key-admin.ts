import { memoryCache, prismaOptions, type Cache, type DatabaseTarget, type PageArgs } from "@o2o/runtime";
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey, type ApiKeyAnswer, type CreateApiKeyArgs } from "./api-keys.ts";
import { PrismaClient, type ApiKey } from "./generated/prisma/client.ts";

/**
 * Key administration straight against the stores database, for the `npm run keys` CLI (the first admin
 * key has to come from somewhere) and for tests. The same services as the admin mutations; `cache` is
 * where gateways cache credentials (pass the shared Redis one so a revocation is seen at once).
 */
export function keyAdmin(target: DatabaseTarget, cache: Cache = memoryCache()) {
  const prisma = new PrismaClient(prismaOptions("stores", target));
  const ctx = {
    prisma,
    cache,
    get now() {
      return new Date();
    },
  };
  return {
    create: async (input: CreateApiKeyArgs) => shown(await createApiKey(ctx, input)),
    rotate: async (id: string) => shown(await rotateApiKey(ctx, id)),
    revoke: async (id: string) => shown(await revokeApiKey(ctx, id)),
    list: async (args: PageArgs & { retailerId?: string | null }) => (await listApiKeys(ctx, args)).edges.map((e) => withoutHash(e.node)),
    close: () => prisma.$disconnect(),
  };
}

/** A key as an admin may see it: never its hash (the secret itself only in create/rotate answers). */
export const withoutHash = ({ secretHash: _, ...key }: ApiKey) => key;
const shown = (answer: ApiKeyAnswer) => ({ ...answer, apiKey: answer.apiKey && withoutHash(answer.apiKey) });
export type KeyAdmin = ReturnType<typeof keyAdmin>;
