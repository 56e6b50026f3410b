import { hostname } from "node:os";
import { Redis } from "ioredis";
import { logger } from "../logger.ts";
import { sleep, type EventBus, type EventHandler, type Subscription } from "./bus.ts";
import type { EventEnvelope } from "./envelope.ts";

type StreamEntries = [id: string, fields: string[]][];
type ReadReply = [stream: string, entries: StreamEntries][] | null;

/** Messages another consumer of the group took but did not acknowledge for this long are taken over. */
const CLAIM_IDLE_MS = 30_000;
/** How long a publish waits for the producer's first connection before failing (offline queue is off). */
const CONNECT_WAIT_MS = 2_000;

/** Consumer names subscribed right now in this process, per stream and group (see subscribe). */
const liveConsumers = new Map<string, Set<string>>();

/**
 * Real mode's bus: one Redis stream, a consumer group per consuming subgraph. Every replica of a
 * subgraph joins its group, so each event is handled by one replica; a message is acknowledged only
 * after its handler succeeded, and unacknowledged ones are read again (own pending list first, then
 * what dead consumers left behind, via XAUTOCLAIM). A group created late starts from the stream's
 * beginning, so a consumer that was down catches up on everything it missed.
 */
export class RedisBus implements EventBus {
  readonly kind = "redis";
  private readonly producer: Redis;
  private readonly connections = new Set<Redis>();

  constructor(
    private readonly url: string,
    readonly stream = "o2o:events",
  ) {
    this.producer = this.connect();
  }

  /** The producer fails fast while Redis is away (the relay keeps events in the outbox); consumers wait for it. */
  private connect(waitForRedis = false): Redis {
    const redis = new Redis(this.url, { maxRetriesPerRequest: waitForRedis ? null : 1, enableOfflineQueue: waitForRedis, lazyConnect: false });
    redis.on("error", (err: Error) => logger.warn({ err: err.message }, "redis event bus unavailable"));
    this.connections.add(redis);
    return redis;
  }

  async publish(events: EventEnvelope[]): Promise<void> {
    if (!events.length) return;
    await this.firstConnection();
    const pipeline = this.producer.pipeline();
    for (const e of events) pipeline.xadd(this.stream, "MAXLEN", "~", "1000000", "*", "event", JSON.stringify(e));
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
  }

  subscribe(group: string, handler: EventHandler): Subscription {
    const redis = this.connect(true);
    // Stable per process, so a restarted subscription first re-reads its own unacknowledged messages;
    // a second live subscription of the group in this process takes the next free slot, since two
    // readers sharing one name would each re-read (and handle) what the other is working on.
    const live = liveConsumers.get(`${this.stream}\n${group}`) ?? new Set<string>();
    liveConsumers.set(`${this.stream}\n${group}`, live);
    let slot = 0;
    while (live.has(`${group}:${hostname()}:${process.pid}:${slot}`)) slot++;
    const consumer = `${group}:${hostname()}:${process.pid}:${slot}`;
    live.add(consumer);
    let active = true;
    const loop = (async () => {
      let failures = 0;
      while (active) {
        try {
          await this.ensureGroup(redis, group);
          const pending = await this.read(redis, group, consumer, "0", false);
          const claimed = pending.length ? [] : await this.claim(redis, group, consumer);
          const entries = pending.length ? pending : claimed.length ? claimed : await this.read(redis, group, consumer, ">", true);
          for (const [id, fields] of entries) {
            if (!active) break;
            await handler(parseEntry(fields));
            await redis.xack(this.stream, group, id);
          }
          failures = 0;
        } catch (err) {
          if (!active) break;
          failures++;
          logger.warn({ err: (err as Error).message, group }, "event consumer failed; retrying");
          await sleep(Math.min(100 * 2 ** failures, 5000));
        }
      }
    })();
    return {
      stop: async () => {
        active = false;
        redis.disconnect();
        await loop;
        live.delete(consumer);
        this.connections.delete(redis);
      },
    };
  }

  /**
   * A publish right after start would otherwise fail while the connection is still being made;
   * once Redis has been reached (or is away, reconnecting) it fails fast as before.
   */
  private async firstConnection(): Promise<void> {
    if (!["wait", "connecting", "connect"].includes(this.producer.status)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.producer.off("ready", done).off("close", done);
        resolve();
      };
      const timer = setTimeout(done, CONNECT_WAIT_MS);
      this.producer.once("ready", done).once("close", done);
    });
  }

  private async ensureGroup(redis: Redis, group: string): Promise<void> {
    try {
      await redis.xgroup("CREATE", this.stream, group, "0", "MKSTREAM");
    } catch (err) {
      if (!String((err as Error).message).includes("BUSYGROUP")) throw err;
    }
  }

  private async read(redis: Redis, group: string, consumer: string, from: "0" | ">", block: boolean): Promise<StreamEntries> {
    const args = block ? ["BLOCK", "1000"] : [];
    const reply = (await redis.call("XREADGROUP", "GROUP", group, consumer, "COUNT", "100", ...args, "STREAMS", this.stream, from)) as ReadReply;
    return reply?.[0]?.[1].filter(([, fields]) => fields !== null) ?? [];
  }

  private async claim(redis: Redis, group: string, consumer: string): Promise<StreamEntries> {
    const reply = (await redis.xautoclaim(this.stream, group, consumer, CLAIM_IDLE_MS, "0-0", "COUNT", "100")) as [string, StreamEntries];
    return reply[1].filter(([, fields]) => fields !== null);
  }

  /** Deletes the stream and its groups (tests, which each use a stream of their own). */
  async dropStream(): Promise<void> {
    await this.producer.del(this.stream);
  }

  async close(): Promise<void> {
    for (const redis of this.connections) redis.disconnect();
    this.connections.clear();
  }
}

function parseEntry(fields: string[]): EventEnvelope {
  const index = fields.indexOf("event");
  return JSON.parse(fields[index + 1] ?? "null") as EventEnvelope;
}
