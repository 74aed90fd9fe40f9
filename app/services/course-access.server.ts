// Loads a published course for a signed-in learner, or answers 404.
import { getPublishedCourse } from "~/models/catalog.server";
import type { SessionUser } from "./auth.server";
import { requireUser } from "./auth.server";
import { requireAuthorized } from "./authorize.server";
import { getEnrollment } from "./learning.server";
import { notFound } from "./request.server";

export async function requireLearnerCourse(request: Request, slug: string | undefined, ip: string) {
  const user: SessionUser = await requireUser(request);
  await requireAuthorized(user, "course.learn", null, { ip });
  const course = slug && slug.length <= 100 ? await getPublishedCourse(slug) : null;
  if (!course) throw notFound();
  const enrollment = await getEnrollment(user.id, course.id);
  return { user, course, enrollment };
}
