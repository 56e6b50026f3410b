import { logger } from "../logger.ts";
import { sleep, type EventBus, type EventHandler, type Subscription } from "./bus.ts";
import type { EventEnvelope } from "./envelope.ts";

/**
 * The embedded mode's bus: an append-only log in this process with one read offset per consumer
 * group, the shape of a Redis stream with consumer groups. A stopped group keeps its offset and
 * catches up when it subscribes again; an event is only passed once its handler succeeded.
 */
export class MemoryBus implements EventBus {
  readonly kind = "memory";
  private readonly log: EventEnvelope[] = [];
  private readonly offsets = new Map<string, number>();
  private wake = new Set<() => void>();

  async publish(events: EventEnvelope[]): Promise<void> {
    this.log.push(...events);
    const waiting = this.wake;
    this.wake = new Set();
    for (const resolve of waiting) resolve();
  }

  subscribe(group: string, handler: EventHandler): Subscription {
    let active = true;
    let interrupt = () => undefined as void;
    const loop = (async () => {
      let failures = 0;
      while (active) {
        const offset = this.offsets.get(group) ?? 0;
        const event = this.log[offset];
        if (!event) {
          await new Promise<void>((resolve) => {
            interrupt = resolve;
            this.wake.add(resolve);
          });
          continue;
        }
        try {
          await handler(event);
          this.offsets.set(group, offset + 1);
          failures = 0;
        } catch (err) {
          failures++;
          logger.warn({ err, group, event: event.type, eventId: event.id }, "event handler failed; retrying");
          await sleep(Math.min(50 * 2 ** failures, 2000));
        }
      }
    })();
    return {
      stop: async () => {
        active = false;
        interrupt();
        await loop;
      },
    };
  }

  async close(): Promise<void> {
    for (const resolve of this.wake) resolve();
  }
}
