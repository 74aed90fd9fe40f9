// Who a training assignment covers, and how an enrolment joins it: shared by the assignment
// workflow and by the bulk enrolment inside a roster import's transaction.
import { foldText } from "~/utils/text";
import { addMonths } from "~/utils/vietnam-time";

/** An assignment as enrolling needs it. */
export type AssignmentRow = { id: number; courseId: number; dueAt: Date; positions: string; orgUnit: { path: string } };

/** A person matches when the assignment names no positions or their position contains one. */
export function positionMatches(positionsJson: string, position: string): boolean {
  const positions = positionsJson ? (JSON.parse(positionsJson) as string[]) : [];
  if (!positions.length) return true;
  const mine = foldText(position);
  return positions.some((p) => mine.includes(foldText(p)));
}

/** How an existing enrolment becomes part of an assignment: its progress is kept, the earlier due date wins. */
export const linkTo = (a: AssignmentRow, dueAt: Date | null) => ({ assignmentId: a.id, origin: "assigned", dueAt: dueAt && dueAt < a.dueAt ? dueAt : a.dueAt });

/** The months before an enrolment's due date in which a class still counts: the course's certificate validity, else a year. */
const CLASS_CREDIT_MONTHS = 12;

/**
 * The class, of those a person completed, that satisfies an enrolment of an assignment accepting
 * classes: same category as the course, ended no earlier than the credit window before the due
 * date (or the enrolment date). The latest such class; null when none does.
 */
export function creditingClass<C extends { id: number; endsOn: Date; category: string }>(
  enrolment: { dueAt: Date | null; createdAt: Date; course: { category: string; validityMonths: number } },
  classes: C[],
): C | null {
  const from = addMonths(enrolment.dueAt ?? enrolment.createdAt, -(enrolment.course.validityMonths || CLASS_CREDIT_MONTHS));
  let best: C | null = null;
  for (const c of classes) {
    if (c.category !== enrolment.course.category || c.endsOn < from) continue;
    if (!best || c.endsOn > best.endsOn) best = c;
  }
  return best;
}
