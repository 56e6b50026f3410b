import type { RequestInfo } from "@o2o/runtime";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { Loaders } from "./loaders.ts";

export interface LogisticsContext extends RequestInfo {
  prisma: PrismaClient;
  loaders: Loaders;
}
