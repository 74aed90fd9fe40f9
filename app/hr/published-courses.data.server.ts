// The published courses HR pages offer: to assign, and to filter the coverage report by.
import { db } from "~/platform/db.server";

// A withdrawn course stays among them (its assignments and coverage still matter), marked so;
// only new assignments refuse it.
export async function publishedCourseChoices() {
  return db.course.findMany({ where: { publishedVersionId: { not: null } }, select: { id: true, title: true, titleEn: true, unpublishedAt: true }, orderBy: { title: "asc" } });
}

/** The course a new assignment may name: a published one, not withdrawn; null otherwise. */
export async function publishedCourseForAssignment(id: number) {
  return db.course.findFirst({ where: { id, publishedVersionId: { not: null }, unpublishedAt: null }, select: { id: true } });
}
