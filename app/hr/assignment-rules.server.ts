// Who a training assignment covers, and how an enrolment joins it: shared by the assignment
// workflow and by the bulk enrolment inside a roster import's transaction.
import { foldText } from "~/utils/text";

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
