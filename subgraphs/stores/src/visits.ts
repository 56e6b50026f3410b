import { forbidden, idempotencyKeyError, idempotent, isId, keyMayActFor, refuse, requireScope, settle, unauthenticated, type UserError } from "@o2o/runtime";
import type { StoresContext } from "./context.ts";
import { isOpenOn } from "./directory.ts";
import { localDate } from "./geo.ts";

/**
 * Store visits: door-counter figures reported by a store's key (`visits:write`), and identified member visits
 * (the member scans in with the app). `Store.conversion` (conversion.ts) sums them.
 */
export const MAX_VISIT_COUNT = 100_000;
/** How far back a door count may be reported (a year, like the conversion range). */
export const MAX_DAYS_BACK = 366;
/** Stored hour of a whole-day total. */
const WHOLE_DAY = -1;

/** What `StoreVisitCount` resolves from (plain values: a replay answers the stored JSON). */
export interface VisitCountParent {
  storeId: string;
  date: string;
  hour: number | null;
  count: number;
  recordedAt: string;
}

export interface RecordVisitsAnswer {
  visitCount: VisitCountParent | null;
  userErrors: UserError[];
}

export interface RecordVisitsInput {
  storeId: string;
  date: string;
  hour?: number | null;
  count: number;
  idempotencyKey: string;
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** The local hour (0–23) of an instant in a time zone. */
function localHour(instant: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", hourCycle: "h23" }).format(instant));
}

/** Problems with the input's shape, found before anything is read. */
function visitInputErrors(input: RecordVisitsInput): UserError[] {
  const errors: UserError[] = [];
  const keyError = idempotencyKeyError(input.idempotencyKey);
  if (keyError) errors.push(keyError);
  if (!Number.isInteger(input.count) || input.count < 0 || input.count > MAX_VISIT_COUNT) {
    errors.push({ code: "INVALID_COUNT", message: `count must be a whole number from 0 to ${MAX_VISIT_COUNT}.`, field: ["input", "count"] });
  }
  if (input.hour != null && (!Number.isInteger(input.hour) || input.hour < 0 || input.hour > 23)) {
    errors.push({ code: "INVALID_HOUR", message: "hour must be 0 to 23 (a local hour), or omitted for a whole-day total.", field: ["input", "hour"] });
  }
  return errors;
}

/**
 * `recordStoreVisits`: sets the door count of one local hour (or a whole local day) of a store. Idempotent per key
 * and caller; reporting the same window again under a new key replaces its count.
 */
export async function recordStoreVisits(ctx: StoresContext, input: RecordVisitsInput): Promise<RecordVisitsAnswer> {
  requireScope(ctx.caller, "visits:write");
  const errors = visitInputErrors(input);
  if (errors.length) return { visitCount: null, userErrors: errors };
  const hour = input.hour ?? null;
  const scope = `visits:${ctx.caller.keyId ?? ctx.caller.service ?? "anonymous"}`;
  return idempotent(ctx.prisma, "stores", scope, input.idempotencyKey, { ...input, hour }, () =>
    settle<RecordVisitsAnswer>(
      async () => {
        const store = isId(input.storeId) ? await ctx.prisma.store.findUnique({ where: { id: input.storeId.toLowerCase() } }) : null;
        if (!store || !keyMayActFor(ctx.caller, "visits:write", store.retailerId)) return refuse("STORE_NOT_FOUND", "No store of yours has that id.", ["input", "storeId"]);
        const today = localDate(ctx.now, store.timeZone);
        if (input.date > today || (input.date === today && hour !== null && hour > localHour(ctx.now, store.timeZone))) {
          refuse("DATE_IN_FUTURE", `Visits can be recorded only for past hours and days (today is ${today} at the store).`, ["input", hour !== null && input.date === today ? "hour" : "date"]);
        }
        if (daysBetween(input.date, today) > MAX_DAYS_BACK) refuse("DATE_TOO_OLD", `Visits can be recorded at most ${MAX_DAYS_BACK} days back.`, ["input", "date"]);
        return ctx.prisma.$transaction(async (tx) => {
          // Serialises reports for one store and date, so the "hourly or whole-day" rule holds under concurrency.
          await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`visits:${store.id}:${input.date}`}))::text AS "locked"`;
          const stored = hour ?? WHOLE_DAY;
          const clash = await tx.storeVisitCount.findFirst({
            where: { storeId: store.id, visitDate: new Date(`${input.date}T00:00:00Z`), hour: stored === WHOLE_DAY ? { not: WHOLE_DAY } : WHOLE_DAY },
          });
          if (clash) {
            refuse("WINDOW_CONFLICT", stored === WHOLE_DAY ? "That date already has hourly counts: report hours, not a day total." : "That date already has a whole-day total: report the day again, not hours.", ["input", "hour"]);
          }
          const key = { storeId: store.id, visitDate: new Date(`${input.date}T00:00:00Z`), hour: stored };
          const row = await tx.storeVisitCount.upsert({
            where: { storeId_visitDate_hour: key },
            create: { ...key, count: input.count, keyId: ctx.caller.keyId, recordedAt: ctx.now },
            update: { count: input.count, keyId: ctx.caller.keyId, recordedAt: ctx.now },
          });
          return { visitCount: { storeId: row.storeId, date: isoDate(row.visitDate), hour, count: row.count, recordedAt: row.recordedAt.toISOString() }, userErrors: [] };
        });
      },
      (userErrors) => ({ visitCount: null, userErrors }),
    ),
  );
}

/** What `StoreCheckIn` resolves from. */
export interface CheckInParent {
  storeId: string;
  date: string;
  checkedInAt: string;
}

export interface CheckInAnswer {
  checkIn: CheckInParent | null;
  firstToday: boolean | null;
  userErrors: UserError[];
}

/**
 * `checkInAtStore`: the signed-in member's app scan at a store. One row per (store, member, local date): the primary
 * key makes it idempotent by construction — a second scan that day answers the first with `firstToday: false`.
 */
export async function checkInAtStore(ctx: StoresContext, storeId: string): Promise<CheckInAnswer> {
  const memberId = ctx.caller.memberId;
  if (!memberId) {
    if (ctx.caller.keyId === null && ctx.caller.service === null) throw unauthenticated("Sign in with the app to check in at a store.");
    throw forbidden("Only a signed-in member checks in at a store.");
  }
  return settle<CheckInAnswer>(
    async () => {
      const store = isId(storeId) ? await ctx.prisma.store.findUnique({ where: { id: storeId.toLowerCase() } }) : null;
      if (!store) return refuse("UNKNOWN_STORE", `No store has the id ${storeId}.`, ["storeId"]);
      const date = localDate(ctx.now, store.timeZone);
      if (!(await isOpenOn(ctx, store, date))) refuse("STORE_CLOSED", `${store.name} is not open on ${date}.`, ["storeId"]);
      const key = { storeId: store.id, memberId: memberId.toLowerCase(), visitDate: new Date(`${date}T00:00:00Z`) };
      const inserted = await ctx.prisma.$executeRaw`
        INSERT INTO "stores"."store_check_in" ("store_id", "member_id", "visit_date", "checked_in_at")
        VALUES (${key.storeId}::uuid, ${key.memberId}::uuid, ${date}::date, ${ctx.now})
        ON CONFLICT DO NOTHING`;
      const row = await ctx.prisma.storeCheckIn.findUniqueOrThrow({ where: { storeId_memberId_visitDate: key } });
      return { checkIn: { storeId: row.storeId, date, checkedInAt: row.checkedInAt.toISOString() }, firstToday: inserted === 1, userErrors: [] };
    },
    (userErrors) => ({ checkIn: null, firstToday: null, userErrors }),
  );
}
