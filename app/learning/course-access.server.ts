// Loads a published course for a signed-in learner, or answers 404.
import { getPublishedCourse } from "~/content/catalog.data.server";
import type { SessionUser } from "~/identity/auth.server";
import { requireUser } from "~/identity/auth.server";
import { requireAuthorized } from "~/identity/authorize.server";
import { readRows } from "~/platform/db.server";
import type { EnrollmentState } from "~/learning/learning.server";
import { notFound } from "~/platform/request.server";

type EnrollmentRow = {
  id: number;
  dueAt: Date | string | number | null;
  completedAt: Date | string | number | null;
  lastLessonId: number | null;
  passed: boolean | number | bigint;
  doneLessonId: number | null;
};

/**
 * The learner's current enrolment (latest cycle) in the course with this slug, with progress:
 * the same answer as learning.getEnrollment, in one statement instead of three ORM queries,
 * and keyed by slug so it runs alongside the course lookup. Every lesson, overview and quiz
 * request pays for it, which is why it is hand-written.
 */
async function enrollmentBySlug(userId: number, slug: string): Promise<EnrollmentState | null> {
  const rows = await readRows<EnrollmentRow>`
    SELECT e."id", e."dueAt", e."completedAt", e."lastLessonId",
      EXISTS (SELECT 1 FROM "QuizAttempt" a WHERE a."enrollmentId" = e."id" AND a."passed" = TRUE) AS "passed",
      lc."lessonId" AS "doneLessonId"
    FROM (
      SELECT x."id", x."dueAt", x."completedAt", x."lastLessonId" FROM "Enrollment" x
      JOIN "Course" c ON c."id" = x."courseId"
      WHERE x."userId" = ${userId} AND c."slug" = ${slug}
      ORDER BY x."cycle" DESC LIMIT 1
    ) e
    LEFT JOIN "LessonCompletion" lc ON lc."enrollmentId" = e."id"`;
  const first = rows[0];
  if (!first) return null;
  return {
    id: Number(first.id),
    dueAt: first.dueAt === null ? null : new Date(first.dueAt),
    completedAt: first.completedAt === null ? null : new Date(first.completedAt),
    lastLessonId: first.lastLessonId === null ? null : Number(first.lastLessonId),
    completedLessonIds: rows.filter((r) => r.doneLessonId !== null).map((r) => Number(r.doneLessonId)),
    passed: Boolean(Number(first.passed)),
  };
}

export async function requireLearnerCourse(request: Request, slug: string | undefined, ip: string) {
  const user: SessionUser = await requireUser(request);
  await requireAuthorized(user, "course.learn", null, { ip });
  if (!slug || slug.length > 100) throw notFound();
  const [course, enrollment] = await Promise.all([getPublishedCourse(slug), enrollmentBySlug(user.id, slug)]);
  if (!course) throw notFound();
  return { user, course, enrollment };
}
