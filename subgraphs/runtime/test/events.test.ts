import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EventBus } from "../src/events/bus.ts";
import { applyOnce, createConsumer } from "../src/events/consumer.ts";
import { envelope, type EventEnvelope } from "../src/events/envelope.ts";
import { MemoryBus } from "../src/events/memory-bus.ts";
import { enqueue } from "../src/events/outbox.ts";
import { createRelay, relayOnce } from "../src/events/relay.ts";
import type { SqlClient } from "../src/events/sql.ts";
import { eventing } from "../src/wiring.ts";
import { behavesLikeAnEventBus } from "./support/bus-contract.ts";
import { createTestSql, type TestSql } from "./support/sql-client.ts";
import { pause, waitFor } from "./support/wait.ts";

let sql: TestSql;
beforeAll(async () => {
  sql = await createTestSql();
  // "payments" emits, "logistics" consumes: the names eventing() uses as schema and group.
  await sql.createSchema("payments");
  await sql.createSchema("logistics");
  await sql.db.$executeRawUnsafe(`CREATE TABLE "logistics"."effect_log" (id BIGSERIAL PRIMARY KEY, event_id UUID NOT NULL, note TEXT)`);
});
afterAll(async () => sql?.close());
beforeEach(async () => {
  await sql.db.$executeRawUnsafe(`TRUNCATE "payments"."outbox_event", "logistics"."processed_event", "logistics"."effect_log"`);
});

/** A bus that keeps what it was given; `failures` publishes throw first (Redis away); `delayMs` makes publishing slow. */
class RecordingBus implements EventBus {
  readonly kind = "memory";
  readonly published: EventEnvelope[] = [];
  calls = 0;
  constructor(
    public failures = 0,
    private readonly delayMs = 0,
  ) {}
  async publish(events: EventEnvelope[]) {
    this.calls++;
    await pause(this.delayMs);
    if (this.failures > 0) {
      this.failures--;
      throw new Error("bus down");
    }
    this.published.push(...events);
  }
  subscribe(): never {
    throw new Error("not used");
  }
  async close() {}
}

const unpublished = async () =>
  (await sql.rows<{ n: number }>(`SELECT count(*)::int AS n FROM "payments"."outbox_event" WHERE published_at IS NULL`))[0]!.n;
const outbox = () => sql.rows<{ event_id: string; published_at: Date | null }>(`SELECT event_id::text, published_at FROM "payments"."outbox_event" ORDER BY id`);
const effectLog = () => sql.rows<{ event_id: string; note: string }>(`SELECT event_id::text, note FROM "logistics"."effect_log" ORDER BY id`);
const logEffect = (note: string) => async (tx: SqlClient, e: EventEnvelope) => {
  await tx.$executeRawUnsafe(`INSERT INTO "logistics"."effect_log" (event_id, note) VALUES ($1::uuid, $2)`, e.id, note);
};

describe("MemoryBus", () => {
  let bus: MemoryBus;
  beforeEach(() => {
    bus = new MemoryBus();
  });
  behavesLikeAnEventBus(() => bus);
});

describe("outbox relay", () => {
  it("relays nothing from a transaction that rolled back", async () => {
    await expect(
      sql.inTx(async (tx) => {
        await enqueue(tx, "payments", "payment.captured", { paymentId: "p1" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    const bus = new RecordingBus();
    expect(await relayOnce(sql.inTx, "payments", bus)).toBe(0);
    expect(bus.published).toEqual([]);
    expect(await outbox()).toEqual([]);
  });

  it("relays committed rows once, oldest first, as the envelopes enqueue returned, and marks them published", async () => {
    const written = await sql.inTx(async (tx) => [
      await enqueue(tx, "payments", "payment.captured", { paymentId: "p1", amount: { cents: 1250 } }),
      await enqueue(tx, "payments", "payment.refunded", { paymentId: "p2", lines: [1, 2] }),
      await enqueue(tx, "payments", "payment.captured", { paymentId: "p3" }),
    ]);
    const bus = new RecordingBus();
    expect(await relayOnce(sql.inTx, "payments", bus)).toBe(3);
    expect(bus.published).toEqual(written);
    expect(bus.published.map((e) => e.source)).toEqual(["payments", "payments", "payments"]);
    const rows = await outbox();
    expect(rows.map((r) => r.event_id)).toEqual(written.map((e) => e.id));
    for (const row of rows) expect(row.published_at).toBeInstanceOf(Date);
    expect(await relayOnce(sql.inTx, "payments", bus)).toBe(0);
    expect(bus.published).toHaveLength(3);
  });

  it("leaves rows unpublished when the bus throws, and sends them on the next run", async () => {
    const [event] = await sql.inTx(async (tx) => [await enqueue(tx, "payments", "payment.captured", { paymentId: "p1" })]);
    const bus = new RecordingBus(1);
    await expect(relayOnce(sql.inTx, "payments", bus)).rejects.toThrow("bus down");
    expect(await unpublished()).toBe(1);
    expect(await relayOnce(sql.inTx, "payments", bus)).toBe(1);
    expect(bus.published).toEqual([event]);
    expect(await unpublished()).toBe(0);
  });

  it("two relays running at once (replicas) publish disjoint rows", async () => {
    const written = await sql.inTx(async (tx) => {
      const list: EventEnvelope[] = [];
      // One statement at a time: a transaction is one connection.
      for (let i = 0; i < 10; i++) list.push(await enqueue(tx, "payments", "t", { i }));
      return list;
    });
    // Slow publishing keeps the first relay's transaction open while the second one selects.
    const bus = new RecordingBus(0, 100);
    const counts = await Promise.all([relayOnce(sql.inTx, "payments", bus), relayOnce(sql.inTx, "payments", bus)]);
    expect(counts[0]! + counts[1]!).toBe(10);
    expect(bus.published.map((e) => e.id).sort()).toEqual(written.map((e) => e.id).sort());
  });

  it("createRelay keeps retrying a failing bus, relays each row once, and picks up kicked commits", async () => {
    const bus = new RecordingBus(3);
    const relay = createRelay(sql.inTx, "payments", bus, 20);
    relay.start();
    try {
      const first = await sql.inTx((tx) => enqueue(tx, "payments", "payment.captured", { paymentId: "p1" }));
      relay.kick();
      await waitFor("the first event after the bus recovers", () => bus.published.length === 1);
      expect(bus.calls).toBeGreaterThanOrEqual(4);
      const second = await sql.inTx((tx) => enqueue(tx, "payments", "payment.captured", { paymentId: "p2" }));
      relay.kick();
      await waitFor("the second event", () => bus.published.length === 2);
      await pause(100);
      expect(bus.published.map((e) => e.id)).toEqual([first.id, second.id]);
      expect(await unpublished()).toBe(0);
    } finally {
      await relay.stop();
    }
    // Stopped means stopped: a later commit stays in the outbox.
    await sql.inTx((tx) => enqueue(tx, "payments", "payment.captured", { paymentId: "p3" }));
    relay.kick();
    await pause(100);
    expect(await unpublished()).toBe(1);
  });
});

describe("applyOnce", () => {
  it("applies the same event once however often it arrives", async () => {
    const event = envelope("payments", "payment.captured", { paymentId: "p1" });
    let runs = 0;
    const effect = async (tx: SqlClient, e: EventEnvelope) => {
      runs++;
      await logEffect("applied")(tx, e);
    };
    expect(await applyOnce(sql.inTx, "logistics", "logistics", event, effect)).toBe(true);
    expect(await applyOnce(sql.inTx, "logistics", "logistics", event, effect)).toBe(false);
    expect(await applyOnce(sql.inTx, "logistics", "logistics", { ...event }, effect)).toBe(false);
    expect(runs).toBe(1);
    expect(await effectLog()).toEqual([{ event_id: event.id, note: "applied" }]);
  });

  it("keeps separate consumers apart: each applies the event once", async () => {
    const event = envelope("payments", "payment.captured", {});
    expect(await applyOnce(sql.inTx, "logistics", "logistics", event, logEffect("a"))).toBe(true);
    expect(await applyOnce(sql.inTx, "logistics", "other-consumer", event, logEffect("b"))).toBe(true);
    expect((await effectLog()).map((r) => r.note)).toEqual(["a", "b"]);
  });

  it("rolls back the processed marker (and the effect's writes) when the effect throws, so a retry applies it", async () => {
    const event = envelope("payments", "payment.captured", { paymentId: "p1" });
    const failing = async (tx: SqlClient, e: EventEnvelope) => {
      await logEffect("half-done")(tx, e);
      throw new Error("effect failed");
    };
    await expect(applyOnce(sql.inTx, "logistics", "logistics", event, failing)).rejects.toThrow("effect failed");
    expect(await sql.rows(`SELECT 1 FROM "logistics"."processed_event" WHERE event_id = $1::uuid`, event.id)).toEqual([]);
    expect(await effectLog()).toEqual([]);
    expect(await applyOnce(sql.inTx, "logistics", "logistics", event, logEffect("retried"))).toBe(true);
    expect(await effectLog()).toEqual([{ event_id: event.id, note: "retried" }]);
  });
});

describe("createConsumer", () => {
  it("applies each handled type once, skips unknown types, and retries an effect that failed", async () => {
    const bus = new MemoryBus();
    let failOnce = true;
    const consumer = createConsumer(bus, sql.inTx, "logistics", {
      "payment.captured": logEffect("captured"),
      "payment.refunded": async (tx, e) => {
        await logEffect("refunded")(tx, e);
        if (failOnce) {
          failOnce = false;
          throw new Error("transient");
        }
      },
    });
    expect(consumer.running).toBe(false);
    consumer.start();
    consumer.start(); // idempotent: still one subscription
    expect(consumer.running).toBe(true);
    try {
      const captured = envelope("payments", "payment.captured", { paymentId: "p1" });
      const refunded = envelope("payments", "payment.refunded", { paymentId: "p1" });
      const marker = envelope("payments", "payment.captured", { paymentId: "p2" });
      await bus.publish([captured, envelope("payments", "nobody.cares", {}), captured, refunded, refunded, marker]);
      await waitFor("the marker event", async () => (await effectLog()).some((r) => r.event_id === marker.id));
      expect(await effectLog()).toEqual([
        { event_id: captured.id, note: "captured" },
        { event_id: refunded.id, note: "refunded" },
        { event_id: marker.id, note: "captured" },
      ]);
    } finally {
      await consumer.stop();
    }
    expect(consumer.running).toBe(false);
  });
});

describe("eventing (wiring)", () => {
  it("carries an enqueued event from one schema's outbox to another's consumer, applied once", async () => {
    const bus = new MemoryBus();
    const producer = eventing("payments", bus, sql.inTx);
    const consumer = eventing("logistics", bus, sql.inTx, { "payment.captured": logEffect("shipped") });
    producer.relay.start();
    consumer.consumer.start();
    try {
      const event = await sql.inTx((tx) => enqueue(tx, "payments", "payment.captured", { paymentId: "p9" }));
      producer.relay.kick();
      await waitFor("the consumer's effect", async () => (await effectLog()).length > 0);
      // At-least-once: the same envelope again changes nothing.
      await bus.publish([event]);
      const marker = envelope("payments", "payment.captured", {});
      await bus.publish([marker]);
      await waitFor("the marker", async () => (await effectLog()).length > 1);
      expect(await effectLog()).toEqual([
        { event_id: event.id, note: "shipped" },
        { event_id: marker.id, note: "shipped" },
      ]);
    } finally {
      await producer.relay.stop();
      await consumer.consumer.stop();
    }
  });
});
