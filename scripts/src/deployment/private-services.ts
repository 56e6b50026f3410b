import { startDeployment, type Deployment, type DeploymentOptions } from "./deployment.ts";
import { startPrivatePostgres, type PrivatePostgres } from "./private-postgres.ts";
import { startPrivateRedis, type PrivateRedis } from "./private-redis.ts";

/** A PostgreSQL and a Redis of the caller's own (a test file's), to stop, start and throw away. */
export interface PrivateServices {
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  close(): Promise<void>;
}

export async function startPrivateServices(): Promise<PrivateServices> {
  const [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
  return { postgres, redis, close: async () => void (await Promise.all([redis.close(), postgres.close()])) };
}

/** The deployed shape on private services; `stop()` stops the processes, then throws the services away. */
export interface PrivateDeployment extends Deployment {
  postgres: PrivatePostgres;
  redis: PrivateRedis;
}

export async function startPrivateDeployment(options: Omit<DeploymentOptions, "databaseUrl" | "redisUrl"> = {}): Promise<PrivateDeployment> {
  const services = await startPrivateServices();
  let deployment: Deployment;
  try {
    deployment = await startDeployment({ ...options, databaseUrl: services.postgres.url, redisUrl: services.redis.url });
  } catch (err) {
    await services.close();
    throw err;
  }
  return {
    ...deployment,
    postgres: services.postgres,
    redis: services.redis,
    stop: async () => {
      await deployment.stop();
      await services.close();
    },
  };
}
