// Enrolment and progress. Completion is recorded the moment its last condition is met.
import type { PublishedCourse } from "~/content/catalog.data.server";
import { audit } from "~/platform/audit.server";
import { issueCertificate } from "~/certificates/certificates.server";
import { db, readRows, writeRows } from "~/platform/db.server";

export type EnrollmentState = {
  id: number;
  dueAt: Date | null;
  completedAt: Date | null;
  lastLessonId: number | null;
  completedLessonIds: number[];
  passed: boolean;
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
      lastLessonId: true,
      completions: { select: { lessonId: true } },
      attempts: { where: { passed: true }, select: { id: true }, take: 1 },
    },
  });
  if (!e) return null;
  return {
    id: e.id,
    dueAt: e.dueAt,
    completedAt: e.completedAt,
    lastLessonId: e.lastLessonId,
    completedLessonIds: e.completions.map((c) => c.lessonId),
    passed: e.attempts.length > 0,
  };
}

/**
 * Self-enrolment. Returns null, after recording the refusal in the audit log, when the course
 * is for assigned staff only.
 */
export async function enroll(userId: number, course: { id: number; slug: string; selfEnroll: boolean }, ip: string): Promise<number | null> {
  if (!course.selfEnroll) {
    await audit({ action: "course.enroll", outcome: "denied", actorId: userId, ip, detail: { course: course.slug, code: "selfEnrollClosed" } });
    return null;
  }
  // Hand-written: a training session's start brings thousands of these at once.
  const current = async () =>
    (await db.$queryRaw<{ id: number | bigint }[]>`
      SELECT "id" FROM "Enrollment" WHERE "userId" = ${userId} AND "courseId" = ${course.id} ORDER BY "cycle" DESC LIMIT 1`)[0];
  const existing = await current();
  if (existing) return Number(existing.id);
  try {
    const [created] = await db.$queryRaw<{ id: number | bigint }[]>`
      INSERT INTO "Enrollment" ("userId", "courseId", "cycle", "origin", "createdAt")
      VALUES (${userId}, ${course.id}, 1, 'self', ${new Date()})
      RETURNING "id"`;
    return Number(created.id);
  } catch (e) {
    // Two tabs enrolling at once: the unique key lets only one row exist.
    const again = await current();
    if (again) return Number(again.id);
    throw e;
  }
}

/** Whether a lesson may be opened: in sequential courses, only after the previous ones. */
export function lessonOpen(course: PublishedCourse, lessonId: number, completed: number[]): boolean {
  if (!course.version.sequential) return true;
  const index = course.version.lessons.findIndex((l) => l.lessonId === lessonId);
  return course.version.lessons.slice(0, index).every((l) => completed.includes(l.lessonId));
}

export function progressPercent(course: PublishedCourse, state: EnrollmentState | null): number {
  if (!state) return 0;
  const lessons = course.version.lessons.map((l) => l.lessonId);
  const done = lessons.filter((id) => state.completedLessonIds.includes(id)).length;
  // The quiz counts as one more step.
  return Math.round((100 * (done + (state.passed ? 1 : 0))) / (lessons.length + 1));
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

/**
 * Every condition of completion is met but none is recorded: a process died between closing a
 * passing attempt and recording the completion. The next visit finishes the job.
 */
export function completionPending(course: PublishedCourse, state: EnrollmentState): boolean {
  return !state.completedAt && state.passed && course.version.lessons.every((l) => state.completedLessonIds.includes(l.lessonId));
}

/**
 * Marks the enrolment complete when every lesson of the published version is done and a quiz
 * attempt passed. The conditional update makes it happen exactly once.
 */
export async function recordCompletionIfDone(
  enrollmentId: number,
  course: PublishedCourse,
  context: { userId: number; ip?: string },
): Promise<boolean> {
  // Hand-written (one row per completed lesson): every quiz submission and lesson completion
  // asks, and the ORM would compile a query of three statements each time.
  const rows = await readRows<{ completedAt: Date | string | number | null; lessonId: number | bigint | null; passed: boolean | number | bigint }>`
    SELECT e."completedAt", lc."lessonId",
      EXISTS (SELECT 1 FROM "QuizAttempt" a WHERE a."enrollmentId" = e."id" AND a."passed" = TRUE) AS "passed"
    FROM "Enrollment" e
    LEFT JOIN "LessonCompletion" lc ON lc."enrollmentId" = e."id"
    WHERE e."id" = ${enrollmentId}`;
  if (!rows.length) throw new Error(`no enrolment ${enrollmentId}`);
  const state = { completedAt: rows[0].completedAt, passed: Boolean(Number(rows[0].passed)) };
  if (state.completedAt) {
    // A process that died between marking completion and issuing (below) left no certificate:
    // the next call for this enrolment issues it (issueCertificate is idempotent).
    const issued = await db.certificate.findFirst({ where: { enrollmentId }, select: { id: true } });
    if (!issued) await issueCertificate(enrollmentId, { userId: context.userId, ip: context.ip });
    return false;
  }
  const done = new Set(rows.filter((r) => r.lessonId !== null).map((r) => Number(r.lessonId)));
  const allLessons = course.version.lessons.every((l) => done.has(l.lessonId));
  if (!allLessons || !state.passed) return false;
  const updated = await db.enrollment.updateMany({ where: { id: enrollmentId, completedAt: null }, data: { completedAt: new Date() } });
  if (updated.count !== 1) return false;
  await audit({ action: "course.complete", actorId: context.userId, targetType: "enrollment", targetId: enrollmentId, ip: context.ip, detail: { course: course.slug } });
  await issueCertificate(enrollmentId, { userId: context.userId, ip: context.ip });
  return true;
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
          publishedVersion: { select: { title: true, titleEn: true, lessons: { select: { lessonId: true } } } },
        },
      },
      completions: { select: { lessonId: true } },
      attempts: { where: { passed: true }, select: { id: true }, take: 1 },
    },
  });
}
