// Who may edit which course in the trainer area (/author). Every page of it starts with
// requireAuthor or requireEditableCourse.
import type { AppLoadContext } from "@remix-run/node";
import { findCourseForAccess, type CourseRef, type EditableScope } from "~/content/authoring.data.server";
import { requireUser, type SessionUser } from "~/identity/auth.server";
import { requireAuthorized } from "~/identity/authorize.server";
import { audit } from "~/platform/audit.server";
import { clientIp, notFound } from "~/platform/request.server";
import { SLUG } from "~/utils/course";

type Author = Pick<SessionUser, "id" | "roles">;

/** Administrators edit every course; trainers edit their own and the shipped curriculum. */
export function editableScope(user: Author): EditableScope {
  return user.roles.some((r) => r.role === "admin") ? null : { userId: user.id };
}

export function canEditCourse(user: Author, course: { ownerId: number | null; origin: string }): boolean {
  const scope = editableScope(user);
  return scope === null || course.ownerId === user.id || course.origin === "content";
}

/** Every page of the trainer area starts here: signed in (else login), "course.author" (else 403). */
export async function requireAuthor(request: Request, context: AppLoadContext) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  await requireAuthorized(user, "course.author", null, { ip });
  return { user, ip };
}

/** Who changes a course, from where: what requireEditableCourse returns. */
export type CourseEditing = { user: SessionUser; ip: string; course: CourseRef };

/** A course the user may edit, or 404 whether it does not exist or is someone else's. */
export async function requireEditableCourse(request: Request, context: AppLoadContext, slug: string | undefined): Promise<CourseEditing> {
  const { user, ip } = await requireAuthor(request, context);
  const course = slug && slug.length <= 100 && SLUG.test(slug) ? await findCourseForAccess(slug) : null;
  if (!course) throw notFound();
  if (!canEditCourse(user, course)) {
    await audit({ action: "access.denied", outcome: "denied", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { capability: "course.author", status: 404 } });
    throw notFound();
  }
  return { user, ip, course };
}
