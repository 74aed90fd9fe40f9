// Training assignments, the enrolments they create and the reminders they send: reads and
// writes, and the transactions that must be atomic (a yearly roll-over, a roster's enrolments).
import { linkTo, positionMatches, type AssignmentRow } from "~/hr/assignment-rules.server";
import { refreshClassCredit } from "~/hr/class-credit.data.server";
import { db, type Tx } from "~/platform/db.server";
import { subtreeOf, subtreesOf } from "~/utils/org-units";

export async function insertAssignment(
  input: { courseId: number; orgUnitId: number; positions: string; dueAt: Date; recurrence: "none" | "yearly"; reminderDays: number; acceptsClasses: boolean },
  createdById: number,
): Promise<AssignmentRow & { acceptsClasses: boolean }> {
  return db.trainingAssignment.create({ data: { ...input, createdById }, include: { orgUnit: { select: { path: true } } } });
}

export async function activeStaffUnder(path: string) {
  return db.user.findMany({ where: { active: true, orgUnit: { path: subtreeOf(path) } }, select: { id: true, position: true } });
}

/** A person's latest enrolment in a course: the one an assignment links to. */
export async function latestEnrolment(userId: number, courseId: number) {
  return db.enrollment.findFirst({ where: { userId, courseId }, orderBy: { cycle: "desc" }, select: { id: true, assignmentId: true, dueAt: true } });
}

export async function linkEnrolment(id: number, link: ReturnType<typeof linkTo>): Promise<void> {
  await db.enrollment.update({ where: { id }, data: link });
}

/** Enrols a person in an assigned course; false when the enrolment was created concurrently. */
export async function createAssignedEnrolment(userId: number, a: AssignmentRow): Promise<boolean> {
  try {
    await db.enrollment.create({ data: { userId, courseId: a.courseId, origin: "assigned", assignmentId: a.id, dueAt: a.dueAt } });
    return true;
  } catch {
    return false;
  }
}

/**
 * Enrols the given people in every active assignment that covers them, inside an import's
 * transaction (staff and their enrolments are written together or not at all). The same rule as
 * enrolling one person, in bulk: a few queries per 500 people instead of a few per person.
 */
export async function enrolInAssignments(userIds: number[], tx: Tx): Promise<number> {
  if (!userIds.length) return 0;
  // A withdrawn course enrols nobody new, newcomers included; its assignment resumes when it returns.
  const assignments = await tx.trainingAssignment.findMany({ where: { active: true, course: { unpublishedAt: null } }, select: { id: true, courseId: true, dueAt: true, positions: true, orgUnit: { select: { path: true } } } });
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
  // Classes the people completed may already satisfy what they were just enrolled in.
  if (enrolled) await refreshClassCredit({ userIds }, tx);
  return enrolled;
}

/** enrolInAssignments in a transaction of its own, for people changed outside an import. */
export function enrolPeopleInAssignments(userIds: number[]): Promise<number> {
  return db.$transaction((tx) => enrolInAssignments(userIds, tx));
}

export async function listAssignments(scopePaths: string[]) {
  return db.trainingAssignment.findMany({
    where: { orgUnit: subtreesOf(scopePaths) },
    orderBy: [{ active: "desc" }, { dueAt: "asc" }],
    select: {
      id: true,
      dueAt: true,
      positions: true,
      recurrence: true,
      reminderDays: true,
      acceptsClasses: true,
      active: true,
      cancelledAt: true,
      courseId: true,
      course: { select: { slug: true, title: true, titleEn: true } },
      orgUnit: { select: { code: true, nameVi: true, nameEn: true } },
      _count: { select: { enrollments: true } },
    },
  });
}

export function assignmentById(id: number) {
  return db.trainingAssignment.findUnique({ where: { id }, select: { id: true, courseId: true, dueAt: true, reminderDays: true, acceptsClasses: true, active: true, orgUnit: { select: { id: true, path: true, code: true } } } });
}

/**
 * A new due date, reminder window and class rule: the unfinished enrolments of the current period move with
 * it, except those whose date was set for the person alone (an extension has a reason).
 */
export async function rescheduleAssignment(a: { id: number; dueAt: Date }, change: { dueAt: Date; reminderDays: number; acceptsClasses: boolean }): Promise<number> {
  const { dueAt } = change;
  return db.$transaction(async (tx) => {
    await tx.trainingAssignment.update({ where: { id: a.id }, data: change });
    const moved = await tx.enrollment.updateMany({ where: { assignmentId: a.id, completedAt: null, dueReason: null, dueAt: a.dueAt }, data: { dueAt } });
    return moved.count;
  });
}

/**
 * Cancels an assignment: nobody new is enrolled and nobody is reminded; unfinished enrolments
 * lose their due date and become voluntary, keeping their progress and their link for history.
 * Conditional on the assignment being active, so two cancellations at once act once.
 */
export async function cancelAssignmentRows(id: number, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const claimed = await tx.trainingAssignment.updateMany({ where: { id, active: true }, data: { active: false, cancelledAt: now } });
    if (claimed.count !== 1) return false;
    await tx.enrollment.updateMany({ where: { assignmentId: id, completedAt: null }, data: { dueAt: null, dueReason: null, origin: "self" } });
    return true;
  });
}

/** Active yearly assignments whose due date has passed. */
export async function yearlyAssignmentsPastDue(now: Date) {
  return db.trainingAssignment.findMany({ where: { active: true, recurrence: "yearly", dueAt: { lt: now }, course: { unpublishedAt: null } } });
}

/**
 * Moves a yearly assignment to its next due date, in one transaction with the new cycles: everyone
 * who completed last period starts a new cycle for the new due date, unless that cycle already
 * exists (a renewal enrolment, say). The update is conditional on the due date read before, so of
 * several instances one rolls over; false for the others.
 */
export async function rollOverAssignment(a: { id: number; courseId: number; dueAt: Date }, next: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const claimed = await tx.trainingAssignment.updateMany({ where: { id: a.id, dueAt: a.dueAt }, data: { dueAt: next } });
    if (claimed.count !== 1) return false;
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
}

export async function activeAssignments() {
  return db.trainingAssignment.findMany({ where: { active: true }, select: { id: true, reminderDays: true } });
}

/** An assignment's unfinished enrolments of active staff due by `until`, with what a reminder says. */
export async function unfinishedEnrolmentsDueBy(assignmentId: number, until: Date) {
  return db.enrollment.findMany({
    where: { assignmentId, completedAt: null, exemptAt: null, dueAt: { not: null, lte: until }, user: { active: true } },
    select: { id: true, dueAt: true, user: { select: { email: true, fullName: true, locale: true } }, course: { select: { title: true, titleEn: true, slug: true } } },
  });
}

/**
 * Records a reminder before it is sent: the (enrolment, kind, period) row is unique, so of two
 * runs at the same time one records it and sends. False when it was recorded already.
 */
export async function recordReminder(reminder: { assignmentId: number; enrollmentId: number; kind: "overdue" | "due_soon"; period: string }): Promise<boolean> {
  try {
    await db.reminderLog.create({ data: reminder });
    return true;
  } catch {
    return false;
  }
}
