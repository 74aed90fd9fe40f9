// Enrolment and progress. Completion is recorded the moment its last condition is met.
import type { PublishedCourse } from "~/content/catalog.data.server";
import { audit } from "~/platform/audit.server";
import { issueCertificate } from "~/certificates/issue.server";
import { completionState, currentOrNewSelfEnrollment, hasCertificate, markCompleted, markCompletedOnline, type EnrollmentState } from "~/learning/enrollments.data.server";

/**
 * Self-enrolment. Returns null, after recording the refusal in the audit log, when the course
 * is for assigned staff only.
 */
export async function enroll(userId: number, course: { id: number; slug: string; selfEnroll: boolean }, ip: string): Promise<number | null> {
  if (!course.selfEnroll) {
    await audit({ action: "course.enroll", outcome: "denied", actorId: userId, ip, detail: { course: course.slug, code: "selfEnrollClosed" } });
    return null;
  }
  return currentOrNewSelfEnrollment(userId, course.id);
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
  const state = await completionState(enrollmentId);
  if (!state) throw new Error(`no enrolment ${enrollmentId}`);
  const allLessons = course.version.lessons.every((l) => state.doneLessonIds.has(l.lessonId));
  if (state.completed && state.byClass) {
    // Completed through an in-person class: no certificate of this course, unless the learner
    // now finishes it online too.
    if (!allLessons || !state.passed || !(await markCompletedOnline(enrollmentId))) return false;
    await audit({ action: "course.complete", actorId: context.userId, targetType: "enrollment", targetId: enrollmentId, ip: context.ip, detail: { course: course.slug, after: "class" } });
    await issueCertificate(enrollmentId, { userId: context.userId, ip: context.ip });
    return true;
  }
  if (state.completed) {
    // A process that died between marking completion and issuing (below) left no certificate:
    // the next call for this enrolment issues it (issueCertificate is idempotent).
    if (!(await hasCertificate(enrollmentId))) await issueCertificate(enrollmentId, { userId: context.userId, ip: context.ip });
    return false;
  }
  if (!allLessons || !state.passed) return false;
  if (!(await markCompleted(enrollmentId))) return false;
  await audit({ action: "course.complete", actorId: context.userId, targetType: "enrollment", targetId: enrollmentId, ip: context.ip, detail: { course: course.slug } });
  await issueCertificate(enrollmentId, { userId: context.userId, ip: context.ip });
  return true;
}
