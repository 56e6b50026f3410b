import { memoryCache, prismaOptions, type Cache, type DatabaseTarget, type PageArgs } from "@o2o/runtime";
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey, type CreateApiKeyArgs } from "./api-keys.ts";
import { PrismaClient } from "./generated/prisma/client.ts";

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
    create: (input: CreateApiKeyArgs) => createApiKey(ctx, input),
    rotate: (id: string) => rotateApiKey(ctx, id),
    revoke: (id: string) => revokeApiKey(ctx, id),
    list: (args: PageArgs & { retailerId?: string | null }) => listApiKeys(ctx, args),
    close: () => prisma.$disconnect(),
  };
}
export type KeyAdmin = ReturnType<typeof keyAdmin>;
