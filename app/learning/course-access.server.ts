// Loads a published course for a signed-in learner, or answers 404.
import { publishedCourseFromRow } from "~/content/catalog.data.server";
import type { SessionUser } from "~/identity/auth.server";
import { requireUser } from "~/identity/auth.server";
import { requireAuthorized } from "~/identity/authorize.server";
import { courseAndEnrollmentBySlug } from "~/learning/enrollments.data.server";
import { notFound } from "~/platform/request.server";

export async function requireLearnerCourse(request: Request, slug: string | undefined, ip: string) {
  const user: SessionUser = await requireUser(request);
  await requireAuthorized(user, "course.learn", null, { ip });
  if (!slug || slug.length > 100) throw notFound();
  const found = await courseAndEnrollmentBySlug(user.id, slug);
  const course = await publishedCourseFromRow(slug, found.course);
  const enrollment = found.enrollment;
  // A withdrawn course is out of the catalogue: only those already enrolled still reach it.
  if (!course || (course.withdrawn && !enrollment)) throw notFound();
  return { user, course, enrollment };
}
