// Who may edit which course in the trainer area (/author). Every page of it starts with
// requireAuthor or requireEditableCourse.
import type { AppLoadContext } from "@remix-run/node";
import { findCourseForAccess, type CourseRef, type EditableScope } from "~/content/authoring.data.server";
import { requireUser, type SessionUser } from "~/identity/auth.server";
import { requireAuthorized, scopePaths } from "~/identity/authorize.server";
import { audit } from "~/platform/audit.server";
import { clientIp, notFound } from "~/platform/request.server";
import { SLUG } from "~/utils/course";

type Author = Pick<SessionUser, "id" | "roles" | "orgUnitPath">;

/**
 * A course belongs to a unit; trainers and administrators edit the courses of the units under
 * their roles. The shipped curriculum (no unit) is the deployment's: only a role at a top-level
 * unit reaches it. A ward trainer never edits, sees the answer key of, or publishes a province
 * course.
 */
export function editableScope(user: Author): EditableScope {
  const paths = scopePaths(user as SessionUser, "course.author");
  return { paths, deploymentWide: paths.some(isTopLevel) };
}

export function canEditCourse(user: Author, course: { unit: { path: string } | null }): boolean {
  const { paths, deploymentWide } = editableScope(user);
  return course.unit ? paths.some((p) => course.unit!.path.startsWith(p)) : deploymentWide;
}

/** The unit a new course belongs to: the widest unit where its author may author. */
export function owningUnitForNewCourse(user: Pick<SessionUser, "roles">): number | null {
  const roles = user.roles.filter((r) => r.role === "trainer" || r.role === "admin");
  roles.sort((a, b) => depthOf(a.path) - depthOf(b.path));
  return roles[0]?.orgUnitId ?? null;
}

const depthOf = (path: string) => path.split("/").length;
const isTopLevel = (path: string) => depthOf(path) === 3; // "/code/"

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
