// Every read and write of enrolments and their progress, and of a person's training record.
// The statements on the lesson and quiz pages go straight to the driver (decisions 011, 013):
// thousands of learners make those requests at once.
import type { CourseRow } from "~/content/catalog.data.server";
import { db, readRows, writeRows } from "~/platform/db.server";

export type EnrollmentState = {
  id: number;
  dueAt: Date | null;
  completedAt: Date | null;
  /** The in-person class the enrolment was completed through (decision 031), when it was. */
  creditedClass: string | null;
  lastLessonId: number | null;
  completedLessonIds: number[];
  passed: boolean;
  /** Granted to this learner by HR or the course's trainer, on top of the course's rules. */
  extraAttempts: number;
  extraMinutes: number;
};

/** The learner's current enrolment (latest cycle) in a course, with progress. */
export async function getEnrollment(userId: number, courseId: number): Promise<EnrollmentState | null> {
  const e = await db.enrollment.findFirst({
    where: { userId, courseId },
    orderBy: { cycle: "desc" },
    select: {
      id: true,
      dueAt: true,
      completedAt: true,
      completedByClass: { select: { title: true } },
      lastLessonId: true,
      extraAttempts: true,
      extraMinutes: true,
      completions: { select: { lessonId: true } },
      attempts: { where: { passed: true }, select: { id: true }, take: 1 },
    },
  });
  if (!e) return null;
  return {
    id: e.id,
    dueAt: e.dueAt,
    completedAt: e.completedAt,
    creditedClass: e.completedByClass?.title ?? null,
    lastLessonId: e.lastLessonId,
    completedLessonIds: e.completions.map((c) => c.lessonId),
    passed: e.attempts.length > 0,
    extraAttempts: e.extraAttempts,
    extraMinutes: e.extraMinutes,
  };
}

type EnrollmentRow = {
  id: number | null;
  dueAt: Date | string | number | null;
  completedAt: Date | string | number | null;
  creditedClass: string | null;
  lastLessonId: number | null;
  extraAttempts: number | bigint;
  extraMinutes: number | bigint;
  passed: boolean | number | bigint;
  doneLessonId: number | null;
};

/** The enrolment and progress the rows of one enrolment (one per completed lesson) describe. */
function enrollmentFromRows(rows: EnrollmentRow[]): EnrollmentState | null {
  const first = rows[0];
  if (!first || first.id === null) return null;
  return {
    id: Number(first.id),
    dueAt: first.dueAt === null ? null : new Date(first.dueAt),
    completedAt: first.completedAt === null ? null : new Date(first.completedAt),
    creditedClass: first.creditedClass,
    lastLessonId: first.lastLessonId === null ? null : Number(first.lastLessonId),
    completedLessonIds: rows.filter((r) => r.doneLessonId !== null).map((r) => Number(r.doneLessonId)),
    passed: Boolean(Number(first.passed)),
    extraAttempts: Number(first.extraAttempts),
    extraMinutes: Number(first.extraMinutes),
  };
}

/**
 * The course with this slug and the learner's current enrolment (latest cycle) in it, with
 * progress: the same answers as getPublishedCourse's read and getEnrollment, in one statement
 * instead of four ORM queries. Every lesson, overview and quiz request pays for it, which is why
 * it is hand-written: on PostgreSQL each statement is a round trip and a share of the database's
 * CPU, and the lesson page is down to the session and this.
 */
export async function courseAndEnrollmentBySlug(userId: number, slug: string): Promise<{ course: CourseRow | null; enrollment: EnrollmentState | null }> {
  const rows = await readRows<EnrollmentRow & { courseId: number; selfEnroll: boolean | number; publishedVersionId: number | null; unpublishedAt: unknown }>`
    SELECT c."id" AS "courseId", c."selfEnroll", c."publishedVersionId", c."unpublishedAt",
      e."id", e."dueAt", e."completedAt", e."lastLessonId", e."extraAttempts", e."extraMinutes",
      (SELECT k."title" FROM "TrainingClass" k WHERE k."id" = e."completedByClassId") AS "creditedClass",
      EXISTS (SELECT 1 FROM "QuizAttempt" a WHERE a."enrollmentId" = e."id" AND a."passed" = TRUE) AS "passed",
      lc."lessonId" AS "doneLessonId"
    FROM "Course" c
    LEFT JOIN "Enrollment" e ON e."id" = (
      SELECT x."id" FROM "Enrollment" x WHERE x."userId" = ${userId} AND x."courseId" = c."id" ORDER BY x."cycle" DESC LIMIT 1
    )
    LEFT JOIN "LessonCompletion" lc ON lc."enrollmentId" = e."id"
    WHERE c."slug" = ${slug}`;
  const first = rows[0];
  if (!first) return { course: null, enrollment: null };
  const course = { id: Number(first.courseId), selfEnroll: first.selfEnroll, publishedVersionId: first.publishedVersionId, unpublishedAt: first.unpublishedAt };
  return { course, enrollment: enrollmentFromRows(rows) };
}

/** The id of the learner's current enrolment in the course, creating a first, self-chosen one if there is none. */
export async function currentOrNewSelfEnrollment(userId: number, courseId: number): Promise<number> {
  // Hand-written: a training session's start brings thousands of these at once.
  const current = async () =>
    (await db.$queryRaw<{ id: number | bigint }[]>`
      SELECT "id" FROM "Enrollment" WHERE "userId" = ${userId} AND "courseId" = ${courseId} ORDER BY "cycle" DESC LIMIT 1`)[0];
  const existing = await current();
  if (existing) return Number(existing.id);
  try {
    const [created] = await db.$queryRaw<{ id: number | bigint }[]>`
      INSERT INTO "Enrollment" ("userId", "courseId", "cycle", "origin", "createdAt")
      VALUES (${userId}, ${courseId}, 1, 'self', ${new Date()})
      RETURNING "id"`;
    return Number(created.id);
  } catch (e) {
    // Two tabs enrolling at once: the unique key lets only one row exist.
    const again = await current();
    if (again) return Number(again.id);
    throw e;
  }
}

/**
 * Records where the learner is, for "continue where you left off". Called on lesson views, so it
 * is one hand-written statement (decision 011). The first view of a course moves it from NULL.
 */
export async function rememberLesson(enrollmentId: number, lessonId: number) {
  await writeRows`
    UPDATE "Enrollment" SET "lastLessonId" = ${lessonId}
    WHERE "id" = ${enrollmentId} AND ("lastLessonId" IS NULL OR "lastLessonId" <> ${lessonId})`;
}

export async function completeLesson(enrollmentId: number, lessonId: number): Promise<void> {
  const exists = await db.lessonCompletion.findUnique({ where: { enrollmentId_lessonId: { enrollmentId, lessonId } }, select: { id: true } });
  if (!exists) {
    try {
      await db.lessonCompletion.create({ data: { enrollmentId, lessonId } });
    } catch {
      // a double submit already recorded it
    }
  }
  await db.enrollment.update({ where: { id: enrollmentId }, data: { lastLessonId: lessonId } });
}

/** Whether the enrolment is marked complete, which lessons are done and whether an attempt passed; null if there is no such enrolment. */
export async function completionState(enrollmentId: number) {
  // Hand-written (one row per completed lesson): every quiz submission and lesson completion
  // asks, and the ORM would compile a query of three statements each time.
  const rows = await readRows<{ completedAt: Date | string | number | null; byClass: number | bigint | null; lessonId: number | bigint | null; passed: boolean | number | bigint }>`
    SELECT e."completedAt", e."completedByClassId" AS "byClass", lc."lessonId",
      EXISTS (SELECT 1 FROM "QuizAttempt" a WHERE a."enrollmentId" = e."id" AND a."passed" = TRUE) AS "passed"
    FROM "Enrollment" e
    LEFT JOIN "LessonCompletion" lc ON lc."enrollmentId" = e."id"
    WHERE e."id" = ${enrollmentId}`;
  if (!rows.length) return null;
  return {
    completed: Boolean(rows[0].completedAt),
    byClass: rows[0].byClass !== null,
    passed: Boolean(Number(rows[0].passed)),
    doneLessonIds: new Set(rows.filter((r) => r.lessonId !== null).map((r) => Number(r.lessonId))),
  };
}

export async function hasCertificate(enrollmentId: number): Promise<boolean> {
  return !!(await db.certificate.findFirst({ where: { enrollmentId }, select: { id: true } }));
}

/**
 * An enrolment completed through a class becomes completed online, now: the learner finished the
 * course anyway and earns its certificate. True for the one call that did.
 */
export async function markCompletedOnline(enrollmentId: number): Promise<boolean> {
  const updated = await db.enrollment.updateMany({ where: { id: enrollmentId, completedByClassId: { not: null } }, data: { completedAt: new Date(), completedByClassId: null } });
  return updated.count === 1;
}

/** Marks the enrolment complete unless it already is: true for the one call that did. */
export async function markCompleted(enrollmentId: number): Promise<boolean> {
  const updated = await db.enrollment.updateMany({ where: { id: enrollmentId, completedAt: null }, data: { completedAt: new Date() } });
  return updated.count === 1;
}

export async function myEnrollments(userId: number) {
  return db.enrollment.findMany({
    where: { userId },
    orderBy: [{ completedAt: "asc" }, { dueAt: "asc" }, { createdAt: "desc" }],
    select: {
      id: true,
      origin: true,
      dueAt: true,
      completedAt: true,
      createdAt: true,
      course: {
        select: {
          slug: true,
          unpublishedAt: true,
          publishedVersion: { select: { title: true, titleEn: true, lessons: { select: { lessonId: true } } } },
        },
      },
      completions: { select: { lessonId: true } },
      attempts: { where: { passed: true }, select: { id: true }, take: 1 },
    },
  });
}

/** A person as HR sees them, with the unit that decides who may. */
export function staffMember(id: number) {
  return db.user.findUnique({
    where: { id },
    select: {
      id: true,
      fullName: true,
      email: true,
      employeeCode: true,
      position: true,
      birthDate: true,
      active: true,
      activatedAt: true,
      lockedAt: true,
      orgUnit: { select: { id: true, path: true, code: true, nameVi: true, nameEn: true } },
    },
  });
}

/** Every enrolment of a person with its submitted attempts and certificates, newest first. */
export async function trainingRecord(userId: number) {
  return db.enrollment.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }],
    select: {
      id: true,
      cycle: true,
      origin: true,
      dueAt: true,
      completedAt: true,
      course: { select: { slug: true, publishedVersion: { select: { title: true, titleEn: true } } } },
      certificates: { orderBy: { issuedAt: "desc" }, select: { code: true, status: true, issuedAt: true } },
      attempts: {
        where: { status: "submitted" },
        orderBy: { number: "asc" },
        select: {
          id: true,
          number: true,
          submittedAt: true,
          score: true,
          passed: true,
          gradedScore: true,
          overriddenAt: true,
          overrideReason: true,
          overriddenBy: { select: { fullName: true } },
          version: { select: { passingScore: true } },
        },
      },
    },
  });
}
