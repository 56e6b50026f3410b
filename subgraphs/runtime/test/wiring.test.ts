import { describe, expect, it } from "vitest";
import { MemoryBus } from "../src/events/memory-bus.ts";
import { envelope } from "../src/events/envelope.ts";
import { intervalWorker, localWiring } from "../src/wiring.ts";
import { pause, waitFor } from "./support/wait.ts";

describe("intervalWorker", () => {
  it("runs the task every interval until stopped, and stop waits for a run in progress", async () => {
    let runs = 0;
    let inside = 0;
    const worker = intervalWorker(async () => {
      inside++;
      await pause(30);
      runs++;
      inside--;
    }, 10);
    worker.start();
    worker.start(); // a second start must not add a second timer
    await waitFor("three runs", () => runs >= 3);
    await worker.stop();
    expect(inside).toBe(0);
    const after = runs;
    await pause(100);
    expect(runs).toBe(after);
  });

  it("keeps running after a task throws", async () => {
    let runs = 0;
    const worker = intervalWorker(async () => {
      runs++;
      throw new Error("sweep failed");
    }, 10);
    worker.start();
    try {
      await waitFor("runs after failures", () => runs >= 3);
    } finally {
      await worker.stop();
    }
  });

  it("never overlaps runs of a slow task", async () => {
    let inside = 0;
    let most = 0;
    const worker = intervalWorker(async () => {
      most = Math.max(most, ++inside);
      await pause(25);
      inside--;
    }, 5);
    worker.start();
    await pause(150);
    await worker.stop();
    expect(most).toBe(1);
  });
});

describe("envelope / localWiring", () => {
  it("gives every envelope its own id and an ISO timestamp", () => {
    const a = envelope("payments", "payment.captured", { paymentId: "p1" });
    const b = envelope("payments", "payment.captured", { paymentId: "p1" });
    expect(a.id).not.toBe(b.id);
    expect(a).toMatchObject({ type: "payment.captured", source: "payments", payload: { paymentId: "p1" } });
    expect(new Date(a.occurredAt).toISOString()).toBe(a.occurredAt);
  });

  it("makes a fresh in-process bus per wiring, shared by nobody else", () => {
    const [a, b] = [localWiring(), localWiring()];
    expect(a.bus).toBeInstanceOf(MemoryBus);
    expect(a.bus).not.toBe(b.bus);
    expect(a.peers).not.toBe(b.peers);
  });
});
