import { demoMemberId, demoStoreId } from "@o2o/runtime";
import type { PrismaClient } from "./generated/prisma/client.ts";

/**
 * The Lumen Omotesando showroom's door counts and member check-ins for October 2026 (Tokyo dates), the month the
 * payments seed attributes showroom orders in. Whole-day totals: 40 visitors on weekdays, 70 on Saturdays and
 * Sundays — except Saturday 2026-10-10, reported hour by hour (10:00–20:00) adding up to 70 as well. October 2026
 * has 22 weekdays and 9 weekend days: 22 × 40 + 9 × 70 = 1,510 visits. 30 September and 1 November (999 each) lie
 * just outside the month. Check-ins: Aiko on the 3rd and the 10th, Wei on the 3rd, Sofia on the 17th (4 visits by 3
 * members), and Aiko on 30 September (outside).
 */
export const SHOWROOM = "lumen-omotesando";
export const OCTOBER_HOURLY: Record<string, number[]> = { "2026-10-10": [4, 5, 6, 7, 8, 8, 8, 7, 6, 6, 5] };
const RECORDED_AT = new Date("2026-11-01T03:00:00.000Z");

export function showroomDoorCounts(): { date: string; hour: number; count: number }[] {
  const counts: { date: string; hour: number; count: number }[] = [];
  for (let day = 1; day <= 31; day++) {
    const date = `2026-10-${String(day).padStart(2, "0")}`;
    const hourly = OCTOBER_HOURLY[date];
    if (hourly) hourly.forEach((count, i) => counts.push({ date, hour: 10 + i, count }));
    else counts.push({ date, hour: -1, count: [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay()) ? 70 : 40 });
  }
  counts.push({ date: "2026-09-30", hour: -1, count: 999 }, { date: "2026-11-01", hour: -1, count: 999 });
  return counts;
}

const CHECK_INS: [member: string, date: string, time: string][] = [
  ["aiko", "2026-09-30", "18:10"],
  ["aiko", "2026-10-03", "13:20"],
  ["wei", "2026-10-03", "15:45"],
  ["aiko", "2026-10-10", "11:05"],
  ["sofia", "2026-10-17", "16:30"],
];

/** Idempotent (a second run changes nothing). */
export async function seedShowroomVisits(prisma: PrismaClient): Promise<void> {
  const storeId = demoStoreId(SHOWROOM);
  await prisma.storeVisitCount.createMany({
    data: showroomDoorCounts().map((c) => ({ storeId, visitDate: new Date(`${c.date}T00:00:00Z`), hour: c.hour, count: c.count, recordedAt: RECORDED_AT })),
    skipDuplicates: true,
  });
  await prisma.storeCheckIn.createMany({
    data: CHECK_INS.map(([member, date, time]) => ({ storeId, memberId: demoMemberId(member), visitDate: new Date(`${date}T00:00:00Z`), checkedInAt: new Date(`${date}T${time}:00+09:00`) })),
    skipDuplicates: true,
  });
}
