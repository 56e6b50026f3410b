import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postGraphQL } from "@o2o/runtime/testing";
import { startDeployment, type Deployment } from "./deployment.ts";
import { startPrivatePostgres, type PrivatePostgres } from "./private-postgres.ts";
import { startPrivateRedis, type PrivateRedis } from "./private-redis.ts";

let pgServer: PrivatePostgres;
let redis: PrivateRedis;
let d: Deployment;
beforeAll(async () => {
  pgServer = await startPrivatePostgres();
  redis = await startPrivateRedis();
  d = await startDeployment({ databaseUrl: pgServer.url, redisUrl: redis.url });
}, 180_000);
afterAll(async () => {
  await d?.stop();
  await redis?.close();
  await pgServer?.close();
});

describe("deployment harness", () => {
  it("serves the product page through a gateway process", async () => {
    const res = await postGraphQL(d.gatewayUrl, `{ product(sku: "HAN-001") { name availability(near: { lat: 35.6717, lng: 139.765 }, first: 2) { quantity } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.product.name).toBe("Sakura Lip Tint");
  });
});
