// In-person and external training: classes with their attendees and results.
import { db } from "~/platform/db.server";
import { subtreesOf } from "~/utils/org-units";

export type ClassInput = { title: string; provider: string; startsOn: Date; endsOn: Date; minutes: number; category: string; orgUnitId: number };

export function createClass(input: ClassInput, createdById: number) {
  return db.trainingClass.create({ data: { ...input, createdById }, select: { id: true } });
}

/** Classes organised by units inside the scope, newest first. */
export function classesInScope(scopePaths: string[]) {
  return db.trainingClass.findMany({
    where: { orgUnit: subtreesOf(scopePaths) },
    orderBy: [{ startsOn: "desc" }, { id: "desc" }],
    take: 200,
    select: { id: true, title: true, provider: true, startsOn: true, endsOn: true, minutes: true, category: true, orgUnit: { select: { code: true, nameVi: true, nameEn: true } }, _count: { select: { attendances: true } } },
  });
}

export function classById(id: number) {
  return db.trainingClass.findUnique({
    where: { id },
    select: {
      id: true,
      title: true,
      provider: true,
      startsOn: true,
      endsOn: true,
      minutes: true,
      category: true,
      orgUnit: { select: { id: true, code: true, path: true, nameVi: true, nameEn: true } },
      attendances: {
        orderBy: { user: { fullName: "asc" } },
        select: { id: true, result: true, user: { select: { id: true, fullName: true, employeeCode: true, orgUnit: { select: { code: true, nameVi: true, nameEn: true } } } } },
      },
    },
  });
}

/** Active people by employee code, with their unit's path for the scope check. */
export function staffByCodes(codes: string[]) {
  return db.user.findMany({ where: { employeeCode: { in: codes }, active: true }, select: { id: true, employeeCode: true, orgUnit: { select: { path: true } } } });
}

/** Adds or updates attendees' results in one transaction; returns how many rows were written. */
export async function recordAttendance(classId: number, entries: { userId: number; result: string }[]): Promise<number> {
  await db.$transaction(async (tx) => {
    for (const e of entries) {
      await tx.classAttendance.upsert({ where: { classId_userId: { classId, userId: e.userId } }, create: { classId, userId: e.userId, result: e.result }, update: { result: e.result } });
    }
  });
  return entries.length;
}

/** Removes one attendee of the class; the person's id, or null when there was no such row. */
export async function removeAttendance(classId: number, attendanceId: number): Promise<number | null> {
  const row = await db.classAttendance.findFirst({ where: { id: attendanceId, classId }, select: { userId: true } });
  if (!row) return null;
  const gone = await db.classAttendance.deleteMany({ where: { id: attendanceId, classId } });
  return gone.count ? row.userId : null;
}

/** Classes a person attended, for records and transcripts. */
export function classesOf(userId: number) {
  return db.classAttendance.findMany({
    where: { userId },
    orderBy: { class: { startsOn: "asc" } },
    select: { result: true, class: { select: { title: true, provider: true, startsOn: true, endsOn: true, minutes: true } } },
  });
}
