import type { Rng } from "./random.ts";
import type { Value } from "./values.ts";

/**
 * Most mutations take an id, and the fuzzer's ids never name the right thing, so they must fail. These take none:
 * each gets one field the subgraph must refuse, so no fuzzed mutation can succeed (the run checks no row changed).
 */
const POISONS: Record<string, (rng: Rng) => [string, Value][]> = {
  // Not 6–9 letters and digits: INVALID_PASSPORT_NUMBER.
  registerPassport: (rng) => [["number", str(rng.pick(["", "!!", "AB1", "X".repeat(40), "12 34-56?"]))]],
  // Outside 1–1,000,000: INVALID_AMOUNT.
  topUpWallet: (rng) => [["amount", str(rng.pick([0, -1, -500, 1_000_001, 2_147_483_647]))]],
  // Outside 1–100,000: INVALID_AMOUNT.
  issuePrepaidCard: (rng) => [["amount", str(rng.pick([0, -1, 100_001, 2_147_483_647]))]],
  // No card was ever issued with a number the fuzzer makes up.
  bindPrepaidCard: (rng) => [["number", str(`FUZZ${rng.text(12, "0123456789")}`)]],
  // CARD without a token or with a malformed one, WALLET with a token: all refused.
  setDefaultPaymentMethod: (rng) =>
    rng.pick<[string, Value][]>([
      [["method", { kind: "enum", name: "CARD" }]],
      [["method", { kind: "enum", name: "CARD" }], ["cardToken", str(rng.pick(["TOK_VISA", "", "tok_", "visa"]))]],
      [["method", { kind: "enum", name: "WALLET" }], ["cardToken", str("tok_visa")]],
    ]),
  // A pass the fuzzer makes up is never signed: PASS_INVALID.
  openShoppingSession: (rng) => [["pass", str(rng.pick(["", "forged", `pass_${rng.text(30)}`]))]],
};

const str = (value: string | number): Value => ({ kind: "scalar", value });

/** `value` of argument `arg` of `mutation`, with its poison fields set (when it is an input object). */
export function poison(mutation: string, arg: string, value: Value, rng: Rng): Value {
  const fields = POISONS[mutation];
  if (!fields || arg !== "input" || value.kind !== "object") return value;
  const set = fields(rng);
  const names = new Set(set.map(([name]) => name));
  // setDefaultPaymentMethod's cardToken is optional: drop a generated one when the poison has none.
  const kept = value.fields.filter(([name]) => !names.has(name) && !(mutation === "setDefaultPaymentMethod" && name === "cardToken"));
  return { kind: "object", fields: [...kept, ...set] };
}
