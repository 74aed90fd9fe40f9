// In-person classes satisfying assignments (decision 031): an enrolment of an assignment that
// accepts classes is completed by a class its person completed, so coverage, the follow-up list,
// reminders and the learner's own page all read one completion date. Kept in step whenever
// attendance, an assignment or its enrolments change.
import { creditingClass } from "~/hr/assignment-rules.server";
import { db, type Tx } from "~/platform/db.server";

type Client = Tx | typeof db;
type Scope = { userIds: number[] } | { assignmentId: number };

/**
 * Credits the open enrolments of the scope that a completed class satisfies, and takes the credit
 * back where the class no longer does (attendance removed or not completed, the assignment no
 * longer accepting classes). An assignment cancelled since keeps its credited enrolments as
 * history. Every write is conditional on what was read, so concurrent refreshes agree.
 */
export async function refreshClassCredit(scope: Scope, client: Client = db): Promise<{ credited: number; withdrawn: number }> {
  const batches = "userIds" in scope ? chunks(scope.userIds, 500).map((ids) => ({ userId: { in: ids } })) : [{ assignmentId: scope.assignmentId }];
  let credited = 0;
  let withdrawn = 0;
  for (const where of batches) {
    const enrolments = await client.enrollment.findMany({
      where: {
        ...where,
        exemptAt: null,
        // Open enrolments of people with a completed class, and those credited already.
        OR: [{ completedAt: null, assignment: { acceptsClasses: true, active: true }, user: { attendances: { some: { result: "completed" } } } }, { completedByClassId: { not: null } }],
      },
      select: {
        id: true,
        userId: true,
        dueAt: true,
        createdAt: true,
        completedByClassId: true,
        assignment: { select: { acceptsClasses: true, active: true } },
        course: { select: { category: true, validityMonths: true } },
      },
    });
    if (!enrolments.length) continue;
    const attended = await client.classAttendance.findMany({
      where: { userId: { in: [...new Set(enrolments.map((e) => e.userId))] }, result: "completed" },
      select: { userId: true, class: { select: { id: true, endsOn: true, category: true } } },
    });
    const classesOf = new Map<number, { id: number; endsOn: Date; category: string }[]>();
    for (const a of attended) classesOf.set(a.userId, [...(classesOf.get(a.userId) ?? []), a.class]);

    for (const e of enrolments) {
      if (e.assignment?.active === false) continue; // cancelled: its history stays as it is
      const classes = e.assignment?.acceptsClasses ? (classesOf.get(e.userId) ?? []) : [];
      const cls = creditingClass(e, classes);
      if (e.completedByClassId === null) {
        if (!cls) continue;
        const done = await client.enrollment.updateMany({ where: { id: e.id, completedAt: null, exemptAt: null }, data: { completedAt: cls.endsOn, completedByClassId: cls.id } });
        credited += done.count;
      } else if (!creditingClass(e, classes.filter((c) => c.id === e.completedByClassId))) {
        // The class it was credited by no longer counts: another one may, else it is open again.
        const undone = await client.enrollment.updateMany({
          where: { id: e.id, completedByClassId: e.completedByClassId },
          data: cls ? { completedAt: cls.endsOn, completedByClassId: cls.id } : { completedAt: null, completedByClassId: null },
        });
        if (!cls) withdrawn += undone.count;
      }
    }
  }
  return { credited, withdrawn };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
