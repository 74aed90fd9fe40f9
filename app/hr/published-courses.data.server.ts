// The published courses HR pages offer: to assign, and to filter the coverage report by.
import { db } from "~/platform/db.server";

export async function publishedCourseChoices() {
  return db.course.findMany({ where: { publishedVersionId: { not: null } }, select: { id: true, title: true, titleEn: true }, orderBy: { title: "asc" } });
}

/** The course an assignment may name: a published one; null otherwise. */
export async function publishedCourseForAssignment(id: number) {
  return db.course.findFirst({ where: { id, publishedVersionId: { not: null } }, select: { id: true } });
}
