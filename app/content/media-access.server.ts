// Who may see a course's uploaded images: whoever may read the course.
import type { AppLoadContext } from "@remix-run/node";
import { audit } from "~/platform/audit.server";
import { requireUser } from "~/identity/auth.server";
import { canEditCourse } from "~/content/authoring-access.server";
import { findCourseForMediaAccess } from "~/content/authoring.data.server";
import { authorize } from "~/identity/authorize.server";
import { clientIp, notFound } from "~/platform/request.server";

/**
 * Any learner once the course is published; before that only those who may edit it (its
 * author, administrators, trainers for the shipped curriculum). Anyone else gets 404, audited,
 * so an unpublished course's images do not reveal that it exists.
 */
export async function requireCourseMediaAccess(request: Request, context: AppLoadContext, slug: string) {
  const user = await requireUser(request);
  const course = await findCourseForMediaAccess(slug);
  if (!course) throw notFound();
  const readable = course.publishedVersionId !== null && authorize(user, "course.learn");
  if (readable || (authorize(user, "course.author") && canEditCourse(user, course))) return;
  await audit({
    action: "access.denied",
    outcome: "denied",
    actorId: user.id,
    targetType: "course",
    targetId: course.id,
    ip: clientIp(context),
    detail: { capability: "course.media", status: 404 },
  });
  throw notFound();
}
