/**
 * A small seeded PRNG (mulberry32): the same seed gives the same operations, so a failing run can be replayed
 * with O2O_FUZZ_SEED. Everything the fuzzer sends — ids, idempotency keys, garbage — comes from here.
 */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** A version-4-shaped UUID nobody has stored (unknown to every subgraph). */
  uuid(): string;
  /** `length` characters drawn from `alphabet`. */
  text(length: number, alphabet?: string): string;
}

const PRINTABLE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

export function rng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = (n: number) => Array.from({ length: n }, () => int(0, 15).toString(16)).join("");
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)]!,
    chance: (p) => next() < p,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[int(0, 3)]}${hex(3)}-${hex(12)}`,
    text: (length, alphabet = PRINTABLE) => Array.from({ length }, () => alphabet[int(0, alphabet.length - 1)]).join(""),
  };
}

/** The seed of this run: O2O_FUZZ_SEED, else a fixed one (CI runs the same operations every time). */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.O2O_FUZZ_SEED;
  if (given === undefined || given === "") return 20_261_123;
  const n = Number(given);
  if (!Number.isInteger(n)) throw new Error(`O2O_FUZZ_SEED must be a whole number, not ${JSON.stringify(given)}.`);
  return n;
}

/** How many operations a run sends: O2O_FUZZ_COUNT, else 5 000 (the acceptance floor). */
export function fuzzCount(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.O2O_FUZZ_COUNT;
  if (given === undefined || given === "") return 5_000;
  const n = Number(given);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`O2O_FUZZ_COUNT must be a positive whole number, not ${JSON.stringify(given)}.`);
  return n;
}
