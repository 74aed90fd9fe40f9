// Mandatory training: assigning a course to a subtree (and optionally some positions), keeping
// enrolments in step as staff arrive, move or change position, and reminding by e-mail.
import { linkTo, positionMatches, type AssignmentRow } from "~/hr/assignment-rules.server";
import {
  activeAssignments,
  activeStaffUnder,
  createAssignedEnrolment,
  insertAssignment,
  latestEnrolment,
  linkEnrolment,
  recordReminder,
  rollOverAssignment,
  unfinishedEnrolmentsDueBy,
  yearlyAssignmentsPastDue,
} from "~/hr/assignments.data.server";
import { audit } from "~/platform/audit.server";
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

export async function createAssignment(
  input: { courseId: number; orgUnit: { id: number; path: string }; positions: string[]; dueAt: Date; recurrence: "none" | "yearly"; reminderDays: number },
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
    },
    actor.id,
  );
  const staff = await activeStaffUnder(input.orgUnit.path);
  let enrolled = 0;
  for (const s of staff) if (positionMatches(assignment.positions, s.position) && (await enrolOne(s.id, assignment))) enrolled++;
  await audit({ action: "assignment.create", actorId: actor.id, orgUnitId: input.orgUnit.id, targetType: "assignment", targetId: assignment.id, ip, detail: { courseId: input.courseId, enrolled } });
  return { id: assignment.id, enrolled };
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
    if (await rollOverAssignment(a, next)) rolledOver++;
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
