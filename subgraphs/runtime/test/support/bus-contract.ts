import { afterEach, expect, it } from "vitest";
import type { EventBus, EventHandler, Subscription } from "../../src/events/bus.ts";
import { envelope, type EventEnvelope } from "../../src/events/envelope.ts";
import { pause, waitFor } from "./wait.ts";

/** A handler that records the ids it was given, in order. */
export function recorder(): { ids: string[]; handler: EventHandler } {
  const ids: string[] = [];
  return { ids, handler: async (e) => void ids.push(e.id) };
}

export const events = (n: number, type = "thing.happened"): EventEnvelope[] => Array.from({ length: n }, (_, i) => envelope("products", type, { n: i }));
export const idsOf = (list: EventEnvelope[]) => list.map((e) => e.id);

/**
 * The EventBus contract (src/events/bus.ts) every implementation must keep; registered inside a
 * describe block. `bus()` is the bus of the current test, made fresh in the caller's beforeEach.
 */
export function behavesLikeAnEventBus(bus: () => EventBus): { track: (s: Subscription) => Subscription } {
  const open: Subscription[] = [];
  const track = (s: Subscription) => (open.push(s), s);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.stop()));
  });

  it("delivers every event to each of two groups, in publish order", async () => {
    const [a, b] = [recorder(), recorder()];
    const before = events(3);
    await bus().publish(before);
    track(bus().subscribe("group-a", a.handler));
    track(bus().subscribe("group-b", b.handler));
    const after = events(3);
    for (const e of after) await bus().publish([e]);
    const all = idsOf([...before, ...after]);
    await waitFor("both groups to see all six", () => a.ids.length >= 6 && b.ids.length >= 6);
    await pause(150); // and nothing more arrives (no duplicates)
    expect(a.ids).toEqual(all);
    expect(b.ids).toEqual(all);
  });

  it("lets a stopped group catch up on what was published while it was away, without repeats", async () => {
    const a = recorder();
    const [first, ...missed] = events(3);
    const subscription = bus().subscribe("group-a", a.handler);
    await bus().publish([first!]);
    await waitFor("the first event", () => a.ids.length === 1);
    await subscription.stop();
    await bus().publish(missed);
    await pause(150);
    expect(a.ids).toEqual([first!.id]);
    track(bus().subscribe("group-a", a.handler));
    await waitFor("the missed events", () => a.ids.length >= 3);
    await pause(150);
    expect(a.ids).toEqual(idsOf([first!, ...missed]));
  });

  it("redelivers an event whose handler threw, and holds later events behind it", async () => {
    const attempts: string[] = [];
    const handled: string[] = [];
    const list = events(3);
    let failed = false;
    track(
      bus().subscribe("group-a", async (e) => {
        attempts.push(e.id);
        if (e.id === list[0]!.id && !failed) {
          failed = true;
          throw new Error("transient");
        }
        handled.push(e.id);
      }),
    );
    await bus().publish(list);
    await waitFor("all three handled", () => handled.length >= 3);
    await pause(150);
    const [e1, e2, e3] = idsOf(list);
    expect(attempts).toEqual([e1, e1, e2, e3]);
    expect(handled).toEqual([e1, e2, e3]);
  });

  return { track };
}
