// A person as HR sees them, and HR's correction of a graded quiz attempt
// (a faulty question in the bank, a power cut in the middle of the exam). The corrected grade
// counts like any other: a pass completes the course, if its lessons are done, and issues the
// certificate. The computed score is kept, the reason is required, and both are audited.
import type { AppLoadContext } from "@remix-run/node";
import { getPublishedCourse } from "~/content/catalog.data.server";
import { requireUser, type SessionUser } from "~/identity/auth.server";
import { requireAuthorized } from "~/identity/authorize.server";
import { audit } from "~/platform/audit.server";
import { attemptOfLearner, overrideScore } from "~/learning/attempts.data.server";
import { staffMember } from "~/learning/enrollments.data.server";
import { recordCompletionIfDone } from "~/learning/learning.server";
import { clientIp, notFound } from "~/platform/request.server";
import { OVERRIDE_REASON_MAX, OVERRIDE_REASON_MIN } from "~/utils/grade-override";

/** A person in the HR officer's subtree, or 404 (403 for people who see no staff at all). */
export async function requireStaffMember(request: Request, context: AppLoadContext, id: number) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  await requireAuthorized(user, "staff.view", null, { ip });
  const person = await staffMember(id);
  if (!person) throw notFound();
  await requireAuthorized(user, "staff.view", person.orgUnit, { ip });
  return { user, ip, person };
}

export type OverrideError = "scoreInvalid" | "reasonRequired" | "reasonTooLong" | "notSubmitted" | "alreadyCompleted" | "unchanged" | "ownGrade";

/**
 * Sets the score of a submitted attempt of `person`. Refused for an enrolment that is already
 * complete (its certificate exists: revoke that instead) and for anything malformed.
 */
export async function overrideAttempt(
  actor: SessionUser,
  person: { id: number; orgUnit: { id: number; path: string } },
  input: { attemptId: number; score: string; reason: string },
  ip: string,
): Promise<{ ok: true; completed: boolean } | { ok: false; error: OverrideError }> {
  await requireAuthorized(actor, "grade.override", person.orgUnit, { ip });
  // Separation of duties: nobody corrects their own grade (and so certifies themselves).
  if (actor.id === person.id) {
    await audit({ action: "grade.override", outcome: "denied", actorId: actor.id, orgUnitId: person.orgUnit.id, targetType: "attempt", targetId: input.attemptId, ip, detail: { reason: "own_grade" } });
    return { ok: false, error: "ownGrade" };
  }
  const attempt = await attemptOfLearner(input.attemptId, person.id);
  if (!attempt) throw notFound();
  const score = /^\d{1,3}$/.test(input.score.trim()) ? Number(input.score.trim()) : NaN;
  if (!Number.isInteger(score) || score < 0 || score > 100) return { ok: false, error: "scoreInvalid" };
  const reason = input.reason.trim();
  if (reason.length < OVERRIDE_REASON_MIN) return { ok: false, error: "reasonRequired" };
  if (reason.length > OVERRIDE_REASON_MAX) return { ok: false, error: "reasonTooLong" };
  if (attempt.status !== "submitted") return { ok: false, error: "notSubmitted" };
  if (attempt.enrollment.completedAt) return { ok: false, error: "alreadyCompleted" };
  if (score === attempt.score) return { ok: false, error: "unchanged" };
  const passed = score >= attempt.version.passingScore;
  const changed = await overrideScore(attempt, { score, passed, overriddenById: actor.id, overrideReason: reason });
  if (!changed) return { ok: false, error: "unchanged" };
  await audit({
    action: "grade.override",
    actorId: actor.id,
    orgUnitId: person.orgUnit.id,
    targetType: "attempt",
    targetId: attempt.id,
    ip,
    detail: { learnerId: person.id, course: attempt.enrollment.course.slug, from: attempt.score, to: score, passed, reason },
  });
  let completed = false;
  if (passed) {
    const course = await getPublishedCourse(attempt.enrollment.course.slug);
    if (course) completed = await recordCompletionIfDone(attempt.enrollmentId, course, { userId: actor.id, ip });
  }
  return { ok: true, completed };
}
