// Mandatory training: assigning a course to a subtree (and optionally some positions), keeping
// enrolments in step as staff arrive, move or change position, and reminding by e-mail.
import { foldText } from "~/utils/text";
import { audit } from "~/platform/audit.server";
import { db, type Tx } from "~/platform/db.server";
import { publicOrigin } from "~/platform/env.server";
import { sendMail } from "~/platform/mail.server";
import { getT, INTL_LOCALE, isLang, type Lang } from "~/utils/i18n";
import { subtreeOf, subtreesOf } from "~/utils/org-units";

/** A person matches when the assignment names no positions or their position contains one. */
export function positionMatches(positionsJson: string, position: string): boolean {
  const positions = positionsJson ? (JSON.parse(positionsJson) as string[]) : [];
  if (!positions.length) return true;
  const mine = foldText(position);
  return positions.some((p) => mine.includes(foldText(p)));
}

type AssignmentRow = { id: number; courseId: number; dueAt: Date; positions: string; orgUnit: { path: string } };

/** How an existing enrolment becomes part of an assignment: its progress is kept, the earlier due date wins. */
const linkTo = (a: AssignmentRow, dueAt: Date | null) => ({ assignmentId: a.id, origin: "assigned", dueAt: dueAt && dueAt < a.dueAt ? dueAt : a.dueAt });

async function enrolOne(userId: number, a: AssignmentRow): Promise<boolean> {
  const existing = await db.enrollment.findFirst({ where: { userId, courseId: a.courseId }, orderBy: { cycle: "desc" }, select: { id: true, assignmentId: true, dueAt: true } });
  if (existing) {
    if (existing.assignmentId === a.id) return false;
    // A course already taken on one's own becomes assigned, keeping its progress.
    await db.enrollment.update({ where: { id: existing.id }, data: linkTo(a, existing.dueAt) });
    return true;
  }
  try {
    await db.enrollment.create({ data: { userId, courseId: a.courseId, origin: "assigned", assignmentId: a.id, dueAt: a.dueAt } });
    return true;
  } catch {
    return false; // created concurrently
  }
}

export async function createAssignment(
  input: { courseId: number; orgUnit: { id: number; path: string }; positions: string[]; dueAt: Date; recurrence: "none" | "yearly"; reminderDays: number },
  actor: { id: number },
  ip: string,
): Promise<{ id: number; enrolled: number }> {
  const assignment = await db.trainingAssignment.create({
    data: {
      courseId: input.courseId,
      orgUnitId: input.orgUnit.id,
      positions: input.positions.length ? JSON.stringify(input.positions) : "",
      dueAt: input.dueAt,
      recurrence: input.recurrence,
      reminderDays: input.reminderDays,
      createdById: actor.id,
    },
    include: { orgUnit: { select: { path: true } } },
  });
  const staff = await db.user.findMany({ where: { active: true, orgUnit: { path: subtreeOf(input.orgUnit.path) } }, select: { id: true, position: true } });
  let enrolled = 0;
  for (const s of staff) if (positionMatches(assignment.positions, s.position) && (await enrolOne(s.id, assignment))) enrolled++;
  await audit({ action: "assignment.create", actorId: actor.id, orgUnitId: input.orgUnit.id, targetType: "assignment", targetId: assignment.id, ip, detail: { courseId: input.courseId, enrolled } });
  return { id: assignment.id, enrolled };
}


/**
 * Enrols the given people in every active assignment that covers them, inside an import's
 * transaction (staff and their enrolments are written together or not at all). Same rule as
 * enrolOne, in bulk: a few queries per 500 people instead of a few per person.
 */
export async function enrolInAssignments(userIds: number[], tx: Tx): Promise<number> {
  if (!userIds.length) return 0;
  const assignments = await tx.trainingAssignment.findMany({ where: { active: true }, select: { id: true, courseId: true, dueAt: true, positions: true, orgUnit: { select: { path: true } } } });
  if (!assignments.length) return 0;
  const courseIds = [...new Set(assignments.map((a) => a.courseId))];
  let enrolled = 0;
  for (let i = 0; i < userIds.length; i += 500) {
    const ids = userIds.slice(i, i + 500);
    const people = await tx.user.findMany({ where: { id: { in: ids }, active: true }, select: { id: true, position: true, orgUnit: { select: { path: true } } } });
    // Each person's latest enrolment per course: the one an assignment links to.
    const latest = new Map<string, { id: number | null; userId: number; courseId: number; assignmentId: number | null; dueAt: Date | null }>();
    const existing = await tx.enrollment.findMany({ where: { userId: { in: ids }, courseId: { in: courseIds } }, orderBy: { cycle: "desc" }, select: { id: true, userId: true, courseId: true, assignmentId: true, dueAt: true } });
    for (const e of existing) if (!latest.has(`${e.userId}:${e.courseId}`)) latest.set(`${e.userId}:${e.courseId}`, e);
    const linked = new Set<number>();
    for (const p of people) {
      for (const a of assignments) {
        if (!p.orgUnit.path.startsWith(a.orgUnit.path) || !positionMatches(a.positions, p.position)) continue;
        const key = `${p.id}:${a.courseId}`;
        const e = latest.get(key);
        if (!e) latest.set(key, { id: null, userId: p.id, courseId: a.courseId, assignmentId: a.id, dueAt: a.dueAt });
        else if (e.assignmentId !== a.id) {
          Object.assign(e, linkTo(a, e.dueAt));
          if (e.id !== null) linked.add(e.id);
        } else continue;
        enrolled++;
      }
    }
    const fresh = [...latest.values()].filter((e) => e.id === null);
    if (fresh.length) await tx.enrollment.createMany({ data: fresh.map((e) => ({ userId: e.userId, courseId: e.courseId, origin: "assigned", assignmentId: e.assignmentId, dueAt: e.dueAt })) });
    for (const e of [...latest.values()].filter((e) => e.id !== null && linked.has(e.id))) {
      await tx.enrollment.update({ where: { id: e.id! }, data: { assignmentId: e.assignmentId, origin: "assigned", dueAt: e.dueAt } });
    }
  }
  return enrolled;
}

export async function listAssignments(scopePaths: string[]) {
  return db.trainingAssignment.findMany({
    where: { orgUnit: subtreesOf(scopePaths) },
    orderBy: { dueAt: "asc" },
    select: {
      id: true,
      dueAt: true,
      positions: true,
      recurrence: true,
      reminderDays: true,
      active: true,
      course: { select: { slug: true, title: true, titleEn: true } },
      orgUnit: { select: { code: true, nameVi: true, nameEn: true } },
      _count: { select: { enrollments: true } },
    },
  });
}

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Sends each learner at most one "due soon" and one "overdue" mail per assignment period.
 * The unique (enrolment, kind, period) row is written before the mail, so two runs at the same
 * time cannot both send. Yearly assignments roll over to next year's due date once past.
 */
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

export async function sendReminders(now = new Date()): Promise<{ dueSoon: number; overdue: number; rolledOver: number }> {
  let rolledOver = 0;
  const yearly = await db.trainingAssignment.findMany({ where: { active: true, recurrence: "yearly", dueAt: { lt: now } } });
  for (const a of yearly) {
    const next = new Date(a.dueAt);
    while (next < now) next.setUTCFullYear(next.getUTCFullYear() + 1);
    // One transaction: the new due date and the new cycles land together or not at all. The
    // update is conditional on the due date read above, so of several instances one rolls over.
    const moved = await db.$transaction(async (tx) => {
      const claimed = await tx.trainingAssignment.updateMany({ where: { id: a.id, dueAt: a.dueAt }, data: { dueAt: next } });
      if (claimed.count !== 1) return false;
      // Everyone who completed last period starts a new cycle for the new due date, unless that
      // cycle already exists (a renewal enrolment, say).
      const done = await tx.enrollment.findMany({ where: { assignmentId: a.id, completedAt: { not: null } }, select: { userId: true, cycle: true } });
      const existing = await tx.enrollment.findMany({ where: { courseId: a.courseId, cycle: { gt: 1 } }, select: { userId: true, cycle: true } });
      const taken = new Set(existing.map((e) => `${e.userId}:${e.cycle}`));
      const fresh = done.filter((e) => !taken.has(`${e.userId}:${e.cycle + 1}`));
      for (let i = 0; i < fresh.length; i += 1000) {
        await tx.enrollment.createMany({
          data: fresh.slice(i, i + 1000).map((e) => ({ userId: e.userId, courseId: a.courseId, cycle: e.cycle + 1, origin: "assigned", assignmentId: a.id, dueAt: next })),
        });
      }
      return true;
    }, { timeout: 120_000 });
    if (moved) rolledOver++;
  }
  const counts = { dueSoon: 0, overdue: 0, rolledOver };
  const assignments = await db.trainingAssignment.findMany({ where: { active: true }, select: { id: true, reminderDays: true } });
  for (const a of assignments) {
    const pending = await db.enrollment.findMany({
      where: { assignmentId: a.id, completedAt: null, dueAt: { not: null, lte: new Date(now.getTime() + a.reminderDays * DAY) }, user: { active: true } },
      select: { id: true, dueAt: true, user: { select: { email: true, fullName: true, locale: true } }, course: { select: { title: true, titleEn: true, slug: true } } },
    });
    for (const e of pending) {
      const kind = e.dueAt! < now ? "overdue" : "due_soon";
      const period = isoDay(e.dueAt!);
      try {
        await db.reminderLog.create({ data: { assignmentId: a.id, enrollmentId: e.id, kind, period } });
      } catch {
        continue; // already reminded for this period
      }
      await sendMail({ to: e.user.email, ...reminderMail(kind, e.dueAt!, e.user, e.course) });
      if (kind === "overdue") counts.overdue++;
      else counts.dueSoon++;
    }
  }
  return counts;
}
