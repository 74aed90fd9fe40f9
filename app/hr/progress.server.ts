// Follow-up: who, by name, is behind in a course or an assignment under a unit, and what HR does
// about one person: a reminder (at most one a day per person), an exemption or a later due date
// with a reason, an extra quiz attempt or extra time. Every action is checked against the actor's
// scope and rank over the person, and audited. How each status is decided: decision 024.
import type { SessionUser } from "~/identity/auth.server";
import { authorize, reachesOver, requireAuthorized } from "~/identity/authorize.server";
import { canEditCourse } from "~/content/authoring-access.server";
import { hrUnit } from "~/hr/hr-scope.server";
import {
  assignmentsOfCourse,
  attemptsOfEnrolment,
  enrolmentForFollowUp,
  enrolmentsForFollowUp,
  followUpCourses,
  personWithRoles,
  recentReminders,
  unitPath,
  PROGRESS_PAGE,
  progressCounts,
  progressRows,
  recordPersonReminder,
  updateEnrolment,
  type FollowUpEnrolment,
  type ProgressQuery,
  type ProgressRow,
} from "~/hr/progress.data.server";
import { PROGRESS_SORTS, PROGRESS_STATUSES, type ProgressSort, type ProgressStatus } from "~/utils/follow-up";
import { audit } from "~/platform/audit.server";
import { publicOrigin } from "~/platform/env.server";
import { queueMail, type Mail } from "~/platform/mail.server";
import { MAX_ID, notFound } from "~/platform/request.server";
import { getT, INTL_LOCALE, isLang, type Lang } from "~/utils/i18n";
import type { Role } from "~/utils/roles";
import { formatDate, VIETNAM_OFFSET_MS } from "~/utils/vietnam-time";
import "~/locales/follow-up";

/** Reminders sent in one go from "everyone in this list": a province's overdue list, not the country. */
export const MAX_REMINDERS_AT_ONCE = 5_000;

const positiveInt = (v: string | null) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 && n <= MAX_ID ? n : null;
};

/** The assignments of a course whose unit is inside the user's scope, newest first. */
async function assignmentsInScope(user: SessionUser, courseId: number) {
  const all = await assignmentsOfCourse(courseId);
  return all.filter((a) => authorize(user, "report.view", a.orgUnit));
}

/**
 * Reads the list's query string: `unit` (code, default the user's widest unit), `course` (id or
 * slug), `assignment` (id, of that course), `status`, `q` (name or employee code), `sort`, `page`.
 * A unit or assignment outside the user's scope is a 404, as everywhere in HR.
 */
export async function followUpRequest(user: SessionUser, url: URL, ip: string, now = new Date()) {
  const unit = await hrUnit(user, "report.view", url.searchParams.get("unit"), ip, { nation: true });
  const courses = await followUpCourses();
  const rawCourse = (url.searchParams.get("course") ?? "").slice(0, 120);
  const course = courses.find((c) => c.id === positiveInt(rawCourse) || c.slug === rawCourse) ?? null;
  const assignments = course ? await assignmentsInScope(user, course.id) : [];
  const assignmentId = positiveInt(url.searchParams.get("assignment"));
  const assignment = assignmentId ? assignments.find((a) => a.id === assignmentId) : null;
  if (assignmentId && !assignment) throw notFound();
  const rawStatus = url.searchParams.get("status") ?? "";
  const rawSort = url.searchParams.get("sort") ?? "";
  // Without a course, the list has one row per person and course they are enrolled in.
  const query: ProgressQuery = {
    paths: [unit.path],
    courseId: course?.id ?? null,
    assignmentId: assignment?.id ?? null,
    status: (PROGRESS_STATUSES as readonly string[]).includes(rawStatus) ? (rawStatus as ProgressStatus) : null,
    text: (url.searchParams.get("q") ?? "").trim().slice(0, 100),
    sort: (PROGRESS_SORTS as readonly string[]).includes(rawSort) ? (rawSort as ProgressSort) : "status",
    now,
  };
  const page = Math.max(0, Math.min(10_000, Number(url.searchParams.get("page")) || 0));
  return { unit, courses, course, assignments, assignment: assignment ?? null, query, page };
}

/** Every enrolment the list's filters select that can still be reminded (not done, not exempt). */
export async function remindableEnrolments(query: ProgressQuery): Promise<number[]> {
  const rows = await progressRows(query, null);
  return rows.filter((r) => r.status !== "done" && r.status !== "exempt").slice(0, MAX_REMINDERS_AT_ONCE).map((r) => r.enrollmentId);
}

/** One page of the list with the figures per status. */
export async function followUpPage(query: ProgressQuery, page: number) {
  const [rows, counts] = await Promise.all([progressRows(query, page), progressCounts(query)]);
  const total = query.status ? counts[query.status] : Object.values(counts).reduce((a, b) => a + b, 0);
  return { rows, counts, total, pageSize: PROGRESS_PAGE };
}

/** The whole list as a table for CSV and XLSX, in the page's order and language. */
export async function followUpTable(query: ProgressQuery, lang: Lang) {
  const t = getT(lang);
  const rows = await progressRows(query, null);
  // Without a course, each row names its course.
  const keys = ["employeeCode", "fullName", "email", "unitCode", "unit", "position", ...(query.courseId ? [] : ["course"]), "status", "lessons", "bestScore", "dueAt", "completedAt", "reason"];
  const headers = keys.map((k) => t(`followUp.columns.${k}`));
  const line = (r: ProgressRow) => [
    r.employeeCode,
    r.fullName,
    r.email,
    r.unitCode,
    lang === "vi" ? r.unitVi : r.unitEn,
    r.position,
    ...(query.courseId ? [] : [lang === "en" && r.courseTitleEn ? r.courseTitleEn : r.courseTitle]),
    t(`followUp.status.${r.status}`),
    `${r.lessonsDone}/${r.lessonsTotal}`,
    r.bestScore ?? "",
    r.dueAt ? formatDate(r.dueAt) : "",
    r.completedAt ? formatDate(r.completedAt) : "",
    r.exemptReason ?? r.dueReason ?? "",
  ];
  return { headers, rows: rows.map(line) };
}

/** Today in Viet Nam as yyyy-mm-dd: reminders are counted per local day. */
const vietnamDay = (now: Date) => new Date(now.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);

type PersonWithRoles = { id: number; roles: { role: string; orgUnit: { path: string } }[] };
const rolesOf = (p: PersonWithRoles) => ({ id: p.id, roles: p.roles.map((r) => ({ role: r.role as Role, path: r.orgUnit.path })) });

/**
 * The enrolment an action names, when the actor may act on its person: inside their scope for
 * `capability`, and not themselves or someone whose roles reach further. Anything else is a 404,
 * audited, whether the enrolment exists or not.
 */
async function actionableEnrolment(user: SessionUser, enrollmentId: number | null, capability: "staff.manage" | "grade.override", ip: string): Promise<FollowUpEnrolment> {
  const e = enrollmentId ? await enrolmentForFollowUp(enrollmentId) : null;
  if (!e) {
    await audit({ action: "access.denied", outcome: "denied", actorId: user.id, ip, detail: { capability, status: 404 } });
    throw notFound();
  }
  // The course's trainer may grant an extra attempt or extra time to learners under their trainer role.
  const trainerMay = capability === "grade.override" && canEditCourse(user, { unit: e.course.unitId ? await unitPath(e.course.unitId) : null }) && user.roles.some((r) => r.role === "trainer" && e.user.orgUnit.path.startsWith(r.path));
  if (!trainerMay) await requireAuthorized(user, capability, e.user.orgUnit, { ip });
  const person = await personWithRoles(e.userId);
  if (!person || !reachesOver(user, rolesOf(person))) {
    await audit({ action: "access.denied", outcome: "denied", actorId: user.id, orgUnitId: e.user.orgUnit.id, ip, targetType: "enrollment", targetId: e.id, detail: { capability, reason: "rank" } });
    throw notFound();
  }
  return e;
}

/** Whether the page offers the trainer's grants (extra attempt, extra time) for this enrolment. */
export async function enrolmentForPage(user: SessionUser, enrollmentId: number | null, ip: string) {
  const e = await actionableEnrolment(user, enrollmentId, authorize(user, "staff.manage") ? "staff.manage" : "grade.override", ip);
  const [attempts, reminders] = await Promise.all([attemptsOfEnrolment(e.id), recentReminders(e.userId)]);
  return { enrolment: e, attempts, reminders, canManage: authorize(user, "staff.manage", e.user.orgUnit) };
}

function reminderMail(e: FollowUpEnrolment): Mail {
  const lang: Lang = isLang(e.user.locale) ? e.user.locale : "vi";
  const t = getT(lang);
  const course = lang === "en" && e.course.titleEn ? e.course.titleEn : e.course.title;
  const due = e.dueAt ? new Intl.DateTimeFormat(INTL_LOCALE[lang], { timeZone: "Asia/Ho_Chi_Minh" }).format(e.dueAt) : null;
  const text = [
    t("reminderMail.greeting", { name: e.user.fullName }),
    "",
    due ? t("followUp.mail.withDue", { course, due }) : t("followUp.mail.noDue", { course }),
    "",
    t("reminderMail.link", { url: `${publicOrigin()}/courses/${e.course.slug}` }),
    "",
    t("app.name"),
  ].join("\n");
  return { to: e.user.email, subject: t("followUp.mail.subject", { course }), text };
}

/**
 * Reminds the people of the given enrolments now. Each person gets at most one reminder a day,
 * whoever sends it and from whichever list: the day's record is written before the mail, so
 * two officers pressing at once send one. Enrolments out of scope are skipped and counted.
 */
export async function remindNow(user: SessionUser, enrollmentIds: number[], ip: string, now = new Date()) {
  const dayKey = vietnamDay(now);
  const mails: Mail[] = [];
  let already = 0;
  let refused = 0;
  const ids = [...new Set(enrollmentIds)].slice(0, MAX_REMINDERS_AT_ONCE);
  const found = await enrolmentsForFollowUp(ids);
  refused += ids.length - found.length;
  for (const e of found) {
    if (!e.user.active || !authorize(user, "staff.manage", e.user.orgUnit) || e.userId === user.id || e.completedAt || e.exemptAt) {
      refused++;
      continue;
    }
    if (!(await recordPersonReminder(e.userId, dayKey, e.courseId, user.id))) {
      already++;
      continue;
    }
    mails.push(reminderMail(e));
  }
  await queueMail(mails, now);
  await audit({ action: "followUp.remind", actorId: user.id, ip, detail: { asked: enrollmentIds.length, sent: mails.length, already, refused } });
  return { sent: mails.length, already, refused };
}

/** Exempts a person from a course with a reason, or lifts the exemption (reason null). */
export async function setExemption(user: SessionUser, enrollmentId: number | null, reason: string | null, ip: string) {
  const e = await actionableEnrolment(user, enrollmentId, "staff.manage", ip);
  if (reason !== null && e.completedAt) return { error: "followUp.errors.alreadyDone" as const };
  await updateEnrolment(e.id, reason === null ? { exemptAt: null, exemptReason: null } : { exemptAt: new Date(), exemptReason: reason });
  await audit({ action: reason === null ? "followUp.unexempt" : "followUp.exempt", actorId: user.id, orgUnitId: e.user.orgUnit.id, ip, targetType: "enrollment", targetId: e.id, detail: { userId: e.userId, course: e.course.slug, reason } });
  return { error: null };
}

/** Moves one person's due date (an extension, or an earlier date), with the reason kept on the enrolment. */
export async function extendDue(user: SessionUser, enrollmentId: number | null, dueAt: Date, reason: string, ip: string) {
  const e = await actionableEnrolment(user, enrollmentId, "staff.manage", ip);
  if (e.completedAt) return { error: "followUp.errors.alreadyDone" as const };
  await updateEnrolment(e.id, { dueAt, dueReason: reason });
  await audit({ action: "followUp.extend", actorId: user.id, orgUnitId: e.user.orgUnit.id, ip, targetType: "enrollment", targetId: e.id, detail: { userId: e.userId, course: e.course.slug, from: e.dueAt?.toISOString() ?? null, to: dueAt.toISOString(), reason } });
  return { error: null };
}

/** Grants one learner extra quiz attempts or extra minutes per attempt, on top of the course's rules. */
export async function grantExtra(user: SessionUser, enrollmentId: number | null, grant: { attempts: number; minutes: number }, reason: string, ip: string) {
  const e = await actionableEnrolment(user, enrollmentId, "grade.override", ip);
  if (e.completedAt) return { error: "followUp.errors.alreadyDone" as const };
  await updateEnrolment(e.id, { extraAttempts: { increment: grant.attempts }, extraMinutes: { increment: grant.minutes } });
  await audit({ action: "followUp.grant", actorId: user.id, orgUnitId: e.user.orgUnit.id, ip, targetType: "enrollment", targetId: e.id, detail: { userId: e.userId, course: e.course.slug, ...grant, reason } });
  return { error: null };
}
