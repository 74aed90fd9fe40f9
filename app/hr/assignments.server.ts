// Mandatory training: assigning a course to a subtree (and optionally some positions), keeping
// enrolments in step as staff arrive, move or change position, and reminding by e-mail.
import { linkTo, positionMatches, type AssignmentRow } from "~/hr/assignment-rules.server";
import {
  activeAssignments,
  assignmentById,
  cancelAssignmentRows,
  rescheduleAssignment,
  activeStaffUnder,
  createAssignedEnrolment,
  enrolPeopleInAssignments,
  insertAssignment,
  latestEnrolment,
  linkEnrolment,
  recordReminder,
  rollOverAssignment,
  unfinishedEnrolmentsDueBy,
  yearlyAssignmentsPastDue,
} from "~/hr/assignments.data.server";
import { refreshClassCredit } from "~/hr/class-credit.data.server";
import type { SessionUser } from "~/identity/auth.server";
import { requireAuthorized } from "~/identity/authorize.server";
import { audit } from "~/platform/audit.server";
import { notFound } from "~/platform/request.server";
import { publicOrigin } from "~/platform/env.server";
import { sendMail } from "~/platform/mail.server";
import { getT, INTL_LOCALE, isLang, type Lang } from "~/utils/i18n";
import { DAY_MS } from "~/utils/vietnam-time";

async function enrolOne(userId: number, a: AssignmentRow): Promise<boolean> {
  const existing = await latestEnrolment(userId, a.courseId);
  if (existing) {
    if (existing.assignmentId === a.id) return false;
    // A course already taken on one's own becomes assigned, keeping its progress.
    await linkEnrolment(existing.id, linkTo(a, existing.dueAt));
    return true;
  }
  return createAssignedEnrolment(userId, a);
}

/**
 * Enrols one person, created or moved on the administration pages, in every active assignment
 * that now covers them: the same rule a roster import applies.
 */
export async function enrolPersonInAssignments(userId: number): Promise<number> {
  return enrolPeopleInAssignments([userId]);
}

export async function createAssignment(
  input: { courseId: number; orgUnit: { id: number; path: string }; positions: string[]; dueAt: Date; recurrence: "none" | "yearly"; reminderDays: number; acceptsClasses?: boolean },
  actor: { id: number },
  ip: string,
): Promise<{ id: number; enrolled: number }> {
  const assignment = await insertAssignment(
    {
      courseId: input.courseId,
      orgUnitId: input.orgUnit.id,
      positions: input.positions.length ? JSON.stringify(input.positions) : "",
      dueAt: input.dueAt,
      recurrence: input.recurrence,
      reminderDays: input.reminderDays,
      acceptsClasses: input.acceptsClasses ?? false,
    },
    actor.id,
  );
  const staff = await activeStaffUnder(input.orgUnit.path);
  let enrolled = 0;
  for (const s of staff) if (positionMatches(assignment.positions, s.position) && (await enrolOne(s.id, assignment))) enrolled++;
  if (assignment.acceptsClasses) await refreshClassCredit({ assignmentId: assignment.id });
  await audit({ action: "assignment.create", actorId: actor.id, orgUnitId: input.orgUnit.id, targetType: "assignment", targetId: assignment.id, ip, detail: { courseId: input.courseId, enrolled } });
  return { id: assignment.id, enrolled };
}

/**
 * The assignment an action names, when it lies inside the actor's scope; a 404 (audited)
 * otherwise, whether it exists or not.
 */
async function assignmentInScope(user: SessionUser, id: number | null, ip: string) {
  const a = id ? await assignmentById(id) : null;
  if (!a) {
    await audit({ action: "access.denied", outcome: "denied", actorId: user.id, ip, detail: { capability: "staff.manage", status: 404 } });
    throw notFound();
  }
  await requireAuthorized(user, "staff.manage", a.orgUnit, { ip });
  return a;
}

/**
 * Moves an active assignment's due date and reminder window and says whether classes satisfy it;
 * returns how many people moved with it. Class credit follows the new rule and window.
 */
export async function editAssignment(user: SessionUser, id: number | null, change: { dueAt: Date; reminderDays: number; acceptsClasses: boolean }, ip: string) {
  const a = await assignmentInScope(user, id, ip);
  if (!a.active) return { error: "followUp.errors.assignmentCancelled" as const, moved: 0 };
  const moved = await rescheduleAssignment(a, change);
  const credit = await refreshClassCredit({ assignmentId: a.id });
  await audit({
    action: "assignment.edit",
    actorId: user.id,
    orgUnitId: a.orgUnit.id,
    targetType: "assignment",
    targetId: a.id,
    ip,
    detail: { from: a.dueAt.toISOString(), to: change.dueAt.toISOString(), reminderDays: change.reminderDays, acceptsClasses: change.acceptsClasses, moved, ...credit },
  });
  return { error: null, moved };
}

/** Cancels an assignment (see cancelAssignmentRows); a second cancellation changes nothing. */
export async function cancelAssignment(user: SessionUser, id: number | null, ip: string, now = new Date()) {
  const a = await assignmentInScope(user, id, ip);
  const done = await cancelAssignmentRows(a.id, now);
  if (done) await audit({ action: "assignment.cancel", actorId: user.id, orgUnitId: a.orgUnit.id, targetType: "assignment", targetId: a.id, ip });
  return done;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The reminder in the recipient's language (Vietnamese unless they chose English). */
function reminderMail(
  kind: "overdue" | "due_soon",
  dueAt: Date,
  user: { fullName: string; locale: string | null },
  course: { title: string; titleEn: string; slug: string },
): { subject: string; text: string } {
  const lang: Lang = isLang(user.locale) ? user.locale : "vi";
  const t = getT(lang);
  const values = {
    course: lang === "en" && course.titleEn ? course.titleEn : course.title,
    due: new Intl.DateTimeFormat(INTL_LOCALE[lang], { timeZone: "Asia/Ho_Chi_Minh" }).format(dueAt),
  };
  const overdue = kind === "overdue";
  const text = [
    t("reminderMail.greeting", { name: user.fullName }),
    "",
    t(overdue ? "reminderMail.overdue" : "reminderMail.dueSoon", values),
    "",
    t("reminderMail.link", { url: `${publicOrigin()}/courses/${course.slug}` }),
    "",
    t("app.name"),
  ].join("\n");
  return { subject: t(overdue ? "reminderMail.subjectOverdue" : "reminderMail.subjectDueSoon", values), text };
}

/**
 * Sends each learner at most one "due soon" and one "overdue" mail per assignment period.
 * The reminder is recorded before the mail, so two runs at the same time cannot both send.
 * Yearly assignments roll over to next year's due date once past.
 */
export async function sendReminders(now = new Date()): Promise<{ dueSoon: number; overdue: number; rolledOver: number }> {
  let rolledOver = 0;
  for (const a of await yearlyAssignmentsPastDue(now)) {
    const next = new Date(a.dueAt);
    while (next < now) next.setUTCFullYear(next.getUTCFullYear() + 1);
    if (!(await rollOverAssignment(a, next))) continue;
    rolledOver++;
    if (a.acceptsClasses) await refreshClassCredit({ assignmentId: a.id });
  }
  const counts = { dueSoon: 0, overdue: 0, rolledOver };
  for (const a of await activeAssignments()) {
    const pending = await unfinishedEnrolmentsDueBy(a.id, new Date(now.getTime() + a.reminderDays * DAY_MS));
    for (const e of pending) {
      const kind = e.dueAt! < now ? "overdue" : "due_soon";
      if (!(await recordReminder({ assignmentId: a.id, enrollmentId: e.id, kind, period: isoDay(e.dueAt!) }))) continue; // already reminded for this period
      await sendMail({ to: e.user.email, ...reminderMail(kind, e.dueAt!, e.user, e.course) });
      if (kind === "overdue") counts.overdue++;
      else counts.dueSoon++;
    }
  }
  return counts;
}
