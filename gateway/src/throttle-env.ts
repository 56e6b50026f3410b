import { memoryBucket, redisBucket, type Bucket } from "./throttle.ts";

export type { Bucket };

/** Redis-backed buckets when REDIS_URL is set (every replica shares one bucket per caller), else in memory. */
export const bucketFromEnv = (env: NodeJS.ProcessEnv = process.env): Bucket => (env.REDIS_URL ? redisBucket(env.REDIS_URL) : memoryBucket());
