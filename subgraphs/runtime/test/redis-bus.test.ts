import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RedisBus } from "../src/events/redis-bus.ts";
import { behavesLikeAnEventBus, events, idsOf, recorder } from "./support/bus-contract.ts";
import { pause, waitFor } from "./support/wait.ts";

// Runs in the PostgreSQL + Redis pass (REDIS_URL set); reported as skipped in the embedded pass,
// like the Redis cache test. Each test uses a stream of its own and deletes it afterwards.
describe.skipIf(!process.env.REDIS_URL)("RedisBus", () => {
  let bus: RedisBus;
  beforeEach(() => {
    bus = new RedisBus(process.env.REDIS_URL!, `o2o:test:${randomUUID()}`);
  });
  // Registered before the contract's own afterEach, so it runs after the subscriptions stopped.
  afterEach(async () => {
    await bus.dropStream();
    await bus.close();
  });

  const { track } = behavesLikeAnEventBus(() => bus);

  it("gives a group created after events were published everything from the stream's start", async () => {
    const early = recorder();
    const list = events(3);
    track(bus.subscribe("early", early.handler));
    await bus.publish(list);
    await waitFor("the early group", () => early.ids.length === 3);
    const late = recorder();
    track(bus.subscribe("late", late.handler));
    await waitFor("the late group", () => late.ids.length >= 3);
    await pause(150);
    expect(late.ids).toEqual(idsOf(list));
  });

  it("splits one group's events between two subscriptions (replicas), each event handled once", async () => {
    const handledBy: [number, string][] = [];
    const replica = (n: number) => async (e: { id: string }) => {
      await pause(30); // busy long enough for the next event to go to the other replica
      handledBy.push([n, e.id]);
    };
    track(bus.subscribe("workers", replica(1)));
    track(bus.subscribe("workers", replica(2)));
    await pause(300); // both blocked reading the group
    const list = events(20);
    for (const e of list) {
      await bus.publish([e]);
      await pause(10);
    }
    await waitFor("all twenty handled", () => handledBy.length >= 20, 10_000);
    await pause(300);
    const ids = handledBy.map(([, id]) => id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids)).toEqual(new Set(idsOf(list)));
    expect(handledBy.some(([n]) => n === 1)).toBe(true);
    expect(handledBy.some(([n]) => n === 2)).toBe(true);
  });
});
