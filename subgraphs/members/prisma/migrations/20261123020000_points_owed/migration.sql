-- A refund takes back the points its order earned even when the member already spent them: the balance may
-- then be negative (points owed, paid back by the next purchases). Redemptions and adjustments still refuse to
-- go below zero (a conditional UPDATE in src/points.ts); only reversals can. Lifetime points stay >= 0.
ALTER TABLE "members"."member" DROP CONSTRAINT "member_points_balance_check";
ALTER TABLE "members"."points_ledger_entry" DROP CONSTRAINT "points_ledger_entry_balance_after_check";
