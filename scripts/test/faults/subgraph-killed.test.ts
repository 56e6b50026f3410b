import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateDeployment, type PrivateDeployment } from "../../src/deployment/private-services.ts";
import { FAULT_GATEWAY_ENV, LEAKED, post, PRODUCT_PAGE, steadyLoad, tomorrowInTokyo, until, type Answer } from "./load.ts";

/**
 * Fault: a subgraph process dies (SIGKILL: no drain, as in an OOM kill) while the gateway is under a steady load of
 * product pages, then comes back on the same port. The gateway must stay up, answer every request with the other
 * subgraphs' data and one SERVICE_UNAVAILABLE error naming the dead subgraph, and serve whole answers again once it
 * returns, without a restart of its own.
 */
let d: PrivateDeployment;
beforeAll(async () => {
  d = await startPrivateDeployment({ envFor: { gateway: FAULT_GATEWAY_ENV } });
}, 180_000);
afterAll(async () => {
  await d?.stop();
});

type Phase = "before" | "killing" | "down" | "restarting" | "back";
type Kind = "clean" | "degraded" | "other";
interface Seen {
  sent: Phase;
  received: Phase;
  kind: Kind;
  answer: Answer;
}

/** clean: the whole page; degraded: the page without logistics' part and exactly the error saying so; other: a failure. */
function kindOf(a: Answer): Kind {
  const product = a.data?.product as { name?: string; availability?: { store: { pickupSlots: unknown } }[] } | undefined;
  if (a.status !== 200 || product?.name !== "Sakura Lip Tint" || LEAKED.test(a.text)) return "other";
  if (a.errors.length === 0) return product.availability?.length && product.availability.every((s) => Array.isArray(s.store.pickupSlots)) ? "clean" : "other";
  const named = a.errors.every((e) => e.extensions?.code === "SERVICE_UNAVAILABLE" && e.extensions.serviceName === "logistics" && e.extensions.reason === "UNREACHABLE");
  return named && /logistics service is unavailable/.test(a.errors[0]!.message) ? "degraded" : "other";
}

describe("a subgraph killed mid-load", () => {
  it("degrades to the other subgraphs' data naming the missing one, and recovers when it returns", async () => {
    const logistics = d.subgraphs.logistics[0]!;
    const gateway = d.gateways[0]!;
    const date = tomorrowInTokyo();
    let phase: Phase = "before";
    const seen: Seen[] = [];
    const count = (pred: (s: Seen) => boolean) => seen.filter(pred).length;
    const load = steadyLoad(4, async () => {
      const sent = phase;
      const answer = await post(d.gatewayUrl, PRODUCT_PAGE, { d: date });
      seen.push({ sent, received: phase, kind: kindOf(answer), answer });
    });
    try {
      expect(await until(() => count((s) => s.received === "before" && s.kind === "clean") >= 20, 20_000)).toBe(true);

      phase = "killing";
      await logistics.kill();
      phase = "down";
      expect(await until(() => count((s) => s.sent === "down" && s.received === "down") >= 40, 20_000)).toBe(true);
      // Still the same gateway process, alive and answering its own routes.
      expect(gateway.running()).toBe(true);
      expect((await fetch(`${gateway.base}/health`)).status).toBe(200);

      phase = "restarting";
      await logistics.start();
      phase = "back";
      expect(await until(() => count((s) => s.sent === "back" && s.kind === "clean") >= 40, 20_000)).toBe(true);
    } finally {
      await load.stop();
    }

    const during = seen.filter((s) => s.sent === "down" && s.received === "down");
    const after = seen.filter((s) => s.sent === "back");
    const others = seen.filter((s) => s.kind === "other");
    // Not one failure of another kind at any point, the kill and the restart included.
    expect(others.map((s) => `${s.answer.status} ${s.answer.text.slice(0, 300)}`)).toEqual([]);
    // While logistics was dead: every answer degraded (none whole, none failed), and at least 40 of them.
    expect(during.length).toBeGreaterThanOrEqual(40);
    expect(during.filter((s) => s.kind === "degraded").length).toBe(during.length);
    // Once it answers /health again: whole answers again, from the first request on (the pool reconnects by itself).
    expect(after.filter((s) => s.kind === "clean").length).toBeGreaterThanOrEqual(40);
    expect(after.filter((s) => s.kind !== "clean").length).toBe(0);
    expect(gateway.running()).toBe(true);
  }, 120_000);
});
