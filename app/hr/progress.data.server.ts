// The follow-up list's statements: each person's latest enrolment in a course (or in an
// assignment, or in every course) under a unit, with the status HR follows it by, computed in the database so that
// filtering, counting, sorting and paging a province of 40,000 people stay one query each.
// Tagged templates (decision 011): every value is a parameter; the ORDER BY is chosen from a
// fixed list, never built from the query string.
import { Prisma } from "~/generated/sqlite/client";
import { db } from "~/platform/db.server";
import { subtreeOf } from "~/utils/org-units";
import { caseVariants } from "~/hr/staff.data.server";

import { PROGRESS_STATUSES, type ProgressSort, type ProgressStatus } from "~/utils/follow-up";

export const PROGRESS_PAGE = 50;

export type ProgressQuery = {
  /** The unit subtrees whose people are listed (one for HR; a trainer's may be several). */
  paths: string[];
  /** null: every course, one row per person and course. */
  courseId: number | null;
  assignmentId: number | null;
  status: ProgressStatus | null;
  text: string;
  sort: ProgressSort;
  now: Date;
};

/**
 * One status per enrolment, the first that holds: exempt, done, overdue (due date passed),
 * failed (the latest graded attempt failed), in progress (a lesson or an attempt), not started.
 */
const statusOf = (now: Date) => Prisma.sql`CASE
  WHEN e."exemptAt" IS NOT NULL THEN 'exempt'
  WHEN e."completedAt" IS NOT NULL THEN 'done'
  WHEN e."dueAt" IS NOT NULL AND e."dueAt" < ${now} THEN 'overdue'
  WHEN (SELECT a."passed" FROM "QuizAttempt" a WHERE a."enrollmentId" = e."id" AND a."status" = 'submitted' ORDER BY a."number" DESC LIMIT 1) = ${false} THEN 'failed'
  WHEN EXISTS (SELECT 1 FROM "LessonCompletion" c WHERE c."enrollmentId" = e."id") OR EXISTS (SELECT 1 FROM "QuizAttempt" a WHERE a."enrollmentId" = e."id") THEN 'in-progress'
  ELSE 'not-started' END`;

/** The people in scope with their latest enrolment in the course (or in each course), as rows with a status. */
function base(q: ProgressQuery) {
  const inScope = Prisma.join(
    (q.paths.length ? q.paths : ["/-none-/"]).map((p) => {
      const range = subtreeOf(p);
      return Prisma.sql`(o."path" >= ${range.gte} AND o."path" < ${range.lt})`;
    }),
    " OR ",
  );
  const words = q.text.normalize("NFC").split(/\s+/).filter(Boolean).slice(0, 6);
  const text = words.length
    ? Prisma.sql` AND ${Prisma.join(
        words.map((w) => Prisma.sql`(${Prisma.join(caseVariants(w).map((v) => Prisma.sql`u."fullName" LIKE ${`%${v}%`}`), " OR ")} OR u."employeeCode" LIKE ${`%${w}%`})`),
        " AND ",
      )}`
    : Prisma.empty;
  const assignment = q.assignmentId ? Prisma.sql` AND e."assignmentId" = ${q.assignmentId}` : Prisma.empty;
  const course = q.courseId ? Prisma.sql` AND e."courseId" = ${q.courseId}` : Prisma.empty;
  return Prisma.sql`
    SELECT e."id" AS "enrollmentId", u."id" AS "userId", u."fullName", u."employeeCode", u."email", u."position",
      o."code" AS "unitCode", o."nameVi" AS "unitVi", o."nameEn" AS "unitEn",
      k."title" AS "courseTitle", k."titleEn" AS "courseTitleEn",
      e."dueAt", e."completedAt", e."exemptReason", e."dueReason", e."createdAt",
      (SELECT COUNT(*) FROM "LessonCompletion" c WHERE c."enrollmentId" = e."id") AS "lessonsDone",
      (SELECT COUNT(*) FROM "VersionLesson" v WHERE v."versionId" = k."publishedVersionId") AS "lessonsTotal",
      (SELECT MAX(a."score") FROM "QuizAttempt" a WHERE a."enrollmentId" = e."id" AND a."status" = 'submitted') AS "bestScore",
      ${statusOf(q.now)} AS "status"
    FROM "Enrollment" e JOIN "User" u ON u."id" = e."userId" JOIN "OrgUnit" o ON o."id" = u."orgUnitId" JOIN "Course" k ON k."id" = e."courseId"
    WHERE u."active" = ${true} AND (${inScope})
      ${course}${assignment}${text}
      AND NOT EXISTS (SELECT 1 FROM "Enrollment" l WHERE l."userId" = e."userId" AND l."courseId" = e."courseId" AND l."cycle" > e."cycle")`;
}

const ORDER: Record<ProgressSort, Prisma.Sql> = {
  status: Prisma.sql`CASE p."status" WHEN 'overdue' THEN 0 WHEN 'failed' THEN 1 WHEN 'not-started' THEN 2 WHEN 'in-progress' THEN 3 WHEN 'done' THEN 4 ELSE 5 END, p."unitCode", p."fullName"`,
  name: Prisma.sql`p."fullName", p."employeeCode"`,
  unit: Prisma.sql`p."unitCode", p."fullName"`,
  due: Prisma.sql`CASE WHEN p."dueAt" IS NULL THEN 1 ELSE 0 END, p."dueAt", p."fullName"`,
  progress: Prisma.sql`p."lessonsDone", p."fullName"`,
};

type Count = number | bigint;
type RawRow = {
  enrollmentId: Count;
  userId: Count;
  fullName: string;
  employeeCode: string | null;
  email: string;
  position: string;
  unitCode: string;
  unitVi: string;
  unitEn: string;
  courseTitle: string;
  courseTitleEn: string;
  dueAt: Date | number | string | null;
  completedAt: Date | number | string | null;
  exemptReason: string | null;
  dueReason: string | null;
  createdAt: Date | number | string;
  lessonsDone: Count;
  lessonsTotal: Count;
  bestScore: Count | null;
  status: ProgressStatus;
};

const day = (v: Date | number | string | null) => (v === null ? null : new Date(v));
const toRow = (r: RawRow) => ({
  enrollmentId: Number(r.enrollmentId),
  userId: Number(r.userId),
  fullName: r.fullName,
  employeeCode: r.employeeCode ?? "",
  email: r.email,
  position: r.position,
  unitCode: r.unitCode,
  unitVi: r.unitVi,
  unitEn: r.unitEn,
  courseTitle: r.courseTitle,
  courseTitleEn: r.courseTitleEn,
  dueAt: day(r.dueAt),
  completedAt: day(r.completedAt),
  exemptReason: r.exemptReason,
  dueReason: r.dueReason,
  lessonsDone: Number(r.lessonsDone),
  lessonsTotal: Number(r.lessonsTotal),
  bestScore: r.bestScore === null ? null : Number(r.bestScore),
  status: r.status,
});
export type ProgressRow = ReturnType<typeof toRow>;

/** Rows of the list, sorted, one page (or all of them when `page` is null, for downloads). */
export async function progressRows(q: ProgressQuery, page: number | null): Promise<ProgressRow[]> {
  const status = q.status ? Prisma.sql` WHERE p."status" = ${q.status}` : Prisma.empty;
  const limit = page === null ? Prisma.empty : Prisma.sql` LIMIT ${PROGRESS_PAGE} OFFSET ${page * PROGRESS_PAGE}`;
  const rows = await db.$queryRaw<RawRow[]>`SELECT * FROM (${base(q)}) p${status} ORDER BY ${ORDER[q.sort]}${limit}`;
  return rows.map(toRow);
}

/** How many people are in each status, for the filter's figures (the text filter applies, the status filter not). */
export async function progressCounts(q: ProgressQuery): Promise<Record<ProgressStatus, number>> {
  const rows = await db.$queryRaw<{ status: ProgressStatus; n: Count }[]>`SELECT p."status" AS "status", COUNT(*) AS "n" FROM (${base(q)}) p GROUP BY p."status"`;
  const counts = Object.fromEntries(PROGRESS_STATUSES.map((s) => [s, 0])) as Record<ProgressStatus, number>;
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** An enrolment with what acting on it needs: its person's unit (for scope) and course. */
const FOLLOW_UP_SELECT = {
  id: true,
  userId: true,
  courseId: true,
  cycle: true,
  dueAt: true,
  completedAt: true,
  completedByClass: { select: { id: true, title: true } },
  exemptAt: true,
  exemptReason: true,
  dueReason: true,
  extraAttempts: true,
  extraMinutes: true,
  assignmentId: true,
  user: { select: { id: true, fullName: true, email: true, locale: true, employeeCode: true, active: true, orgUnit: { select: { id: true, path: true, code: true, nameVi: true, nameEn: true } } } },
  course: { select: { id: true, slug: true, title: true, titleEn: true, unitId: true } },
} as const;

export function enrolmentForFollowUp(id: number) {
  return db.enrollment.findUnique({ where: { id }, select: FOLLOW_UP_SELECT });
}

/** The same for many enrolments at once (a reminder to a whole list), those that exist. */
export async function enrolmentsForFollowUp(ids: number[]) {
  const found: FollowUpEnrolment[] = [];
  for (let i = 0; i < ids.length; i += 500) found.push(...(await db.enrollment.findMany({ where: { id: { in: ids.slice(i, i + 500) } }, select: FOLLOW_UP_SELECT })));
  return found;
}
export type FollowUpEnrolment = NonNullable<Awaited<ReturnType<typeof enrolmentForFollowUp>>>;

/** The courses the list can follow: the published ones, with their number of lessons. */
export function followUpCourses() {
  return db.course.findMany({
    where: { publishedVersionId: { not: null } },
    select: { id: true, slug: true, title: true, titleEn: true, publishedVersion: { select: { _count: { select: { lessons: true } } } } },
    orderBy: { title: "asc" },
  });
}

/** A course's assignments with their units, newest first. */
export function assignmentsOfCourse(courseId: number) {
  return db.trainingAssignment.findMany({
    where: { courseId },
    orderBy: { id: "desc" },
    select: { id: true, dueAt: true, active: true, cancelledAt: true, orgUnit: { select: { id: true, path: true, code: true, nameVi: true, nameEn: true } } },
  });
}

export function personWithRoles(id: number) {
  return db.user.findUnique({ where: { id }, select: { id: true, roles: { select: { role: true, orgUnit: { select: { path: true } } } } } });
}

export function unitPath(id: number) {
  return db.orgUnit.findUnique({ where: { id }, select: { path: true } });
}

export function attemptsOfEnrolment(enrollmentId: number) {
  return db.quizAttempt.findMany({ where: { enrollmentId }, orderBy: { number: "asc" }, select: { number: true, status: true, score: true, passed: true, submittedAt: true } });
}

export function recentReminders(userId: number) {
  return db.personReminder.findMany({ where: { userId }, orderBy: { sentAt: "desc" }, take: 5, select: { day: true, sentAt: true } });
}

/** Records today's reminder for a person; false when they were reminded today already. */
export async function recordPersonReminder(userId: number, dayKey: string, courseId: number, sentById: number): Promise<boolean> {
  try {
    await db.personReminder.create({ data: { userId, day: dayKey, courseId, sentById } });
    return true;
  } catch {
    return false;
  }
}

export async function updateEnrolment(
  id: number,
  data: { exemptAt?: Date | null; exemptReason?: string | null; dueAt?: Date; dueReason?: string | null; extraAttempts?: { increment: number }; extraMinutes?: { increment: number } },
) {
  await db.enrollment.update({ where: { id }, data });
}
