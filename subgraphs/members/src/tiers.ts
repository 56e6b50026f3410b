import type { LoyaltyTier } from "./generated/graphql.ts";

/** Lifetime points from which each tier starts, highest first. BASIC is everything below SILVER. */
export const TIER_THRESHOLDS: readonly { tier: LoyaltyTier; from: number }[] = [
  { tier: "PLATINUM", from: 50_000 },
  { tier: "GOLD", from: 20_000 },
  { tier: "SILVER", from: 5_000 },
  { tier: "BASIC", from: 0 },
];

/**
 * The tier rule, the only place it exists: SILVER >= 5,000, GOLD >= 20,000, PLATINUM >= 50,000 lifetime
 * points, else BASIC. The tier is never stored, so it cannot disagree with lifetime_points.
 */
export function tierFor(lifetimePoints: number): LoyaltyTier {
  return TIER_THRESHOLDS.find((t) => lifetimePoints >= t.from)?.tier ?? "BASIC";
}

/** The next tier up and the lifetime points still missing, or null at the top tier. */
export function nextTier(lifetimePoints: number): { tier: LoyaltyTier; pointsToGo: number } | null {
  const next = TIER_THRESHOLDS.filter((t) => lifetimePoints < t.from).at(-1);
  return next ? { tier: next.tier, pointsToGo: next.from - lifetimePoints } : null;
}
