// The yearly hours report's reads: the people of a subtree, the hours of online courses each
// completed in a year, and the hours rules; and writing a rule.
import { db } from "~/platform/db.server";
import { subtreeOf } from "~/utils/org-units";

export function activePeopleUnder(path: string) {
  return db.user.findMany({
    where: { active: true, orgUnit: { path: subtreeOf(path) } },
    select: { id: true, fullName: true, employeeCode: true, position: true, orgUnit: { select: { id: true, code: true, path: true, nameVi: true, nameEn: true } } },
    orderBy: [{ fullName: "asc" }],
  });
}

type Count = number | bigint;

/**
 * Minutes of online courses completed in [from, to) by the active people of a subtree, per person
 * (exempt ones left out, and those completed through a class, whose own hours count instead).
 */
export async function completedMinutesByPerson(path: string, from: Date, to: Date): Promise<Map<number, number>> {
  const range = subtreeOf(path);
  const rows = await db.$queryRaw<{ userId: Count; minutes: Count | null }[]>`
    SELECT e."userId" AS "userId", SUM(c."estimatedMinutes") AS "minutes"
    FROM "Enrollment" e JOIN "Course" c ON c."id" = e."courseId" JOIN "User" u ON u."id" = e."userId" JOIN "OrgUnit" o ON o."id" = u."orgUnitId"
    WHERE u."active" = ${true} AND o."path" >= ${range.gte} AND o."path" < ${range.lt}
      AND e."exemptAt" IS NULL AND e."completedByClassId" IS NULL AND e."completedAt" >= ${from} AND e."completedAt" < ${to}
    GROUP BY e."userId"`;
  return new Map(rows.map((r) => [Number(r.userId), Number(r.minutes ?? 0)]));
}

/** Minutes of in-person classes and external courses completed (ended) in [from, to), per person. */
export async function classMinutesByPerson(path: string, from: Date, to: Date): Promise<Map<number, number>> {
  const range = subtreeOf(path);
  const rows = await db.$queryRaw<{ userId: Count; minutes: Count | null }[]>`
    SELECT a."userId" AS "userId", SUM(k."minutes") AS "minutes"
    FROM "ClassAttendance" a JOIN "TrainingClass" k ON k."id" = a."classId" JOIN "User" u ON u."id" = a."userId" JOIN "OrgUnit" o ON o."id" = u."orgUnitId"
    WHERE u."active" = ${true} AND o."path" >= ${range.gte} AND o."path" < ${range.lt}
      AND a."result" = ${"completed"} AND k."endsOn" >= ${from} AND k."endsOn" < ${to}
    GROUP BY a."userId"`;
  return new Map(rows.map((r) => [Number(r.userId), Number(r.minutes ?? 0)]));
}

/** Rules of the units on the way from the root down to and inside `path`. */
export function hoursRules() {
  return db.trainingHoursRule.findMany({ select: { id: true, position: true, hours: true, orgUnit: { select: { code: true, path: true, nameVi: true, nameEn: true } } }, orderBy: [{ orgUnit: { path: "asc" } }, { position: "asc" }] });
}

export async function saveHoursRule(orgUnitId: number, position: string, hours: number | null, createdById: number) {
  if (hours === null) {
    await db.trainingHoursRule.deleteMany({ where: { orgUnitId, position } });
    return;
  }
  await db.trainingHoursRule.upsert({ where: { orgUnitId_position: { orgUnitId, position } }, create: { orgUnitId, position, hours, createdById }, update: { hours, createdById } });
}
