// Draft courses as trainers see them. Learners never read from here (see catalog.server.ts).
import { db } from "~/platform/db.server";

/** Which courses a trainer may edit: null means every course (administrators). */
export type EditableScope = { userId: number } | null;

function editableWhere(scope: EditableScope) {
  return scope ? { OR: [{ ownerId: scope.userId }, { origin: "content" }] } : {};
}

export async function listEditableCourses(scope: EditableScope) {
  return db.course.findMany({
    where: editableWhere(scope),
    select: {
      id: true,
      slug: true,
      title: true,
      titleEn: true,
      category: true,
      origin: true,
      updatedAt: true,
      owner: { select: { fullName: true } },
      publishedVersion: { select: { number: true, publishedAt: true } },
      _count: { select: { lessons: true, questions: true } },
    },
    orderBy: { title: "asc" },
  });
}

/** The identity of a course, enough to decide whether a user may edit it. */
export async function findCourseForAccess(slug: string) {
  return db.course.findUnique({ where: { slug }, select: { id: true, slug: true, title: true, ownerId: true, origin: true } });
}

export type CourseRef = NonNullable<Awaited<ReturnType<typeof findCourseForAccess>>>;

export async function slugTaken(slug: string): Promise<boolean> {
  return (await db.course.count({ where: { slug } })) > 0;
}

export async function getCourseEditor(courseId: number) {
  const course = await db.course.findUniqueOrThrow({
    where: { id: courseId },
    select: {
      id: true,
      slug: true,
      title: true,
      titleEn: true,
      summary: true,
      summaryEn: true,
      intro: true,
      category: true,
      estimatedMinutes: true,
      validityMonths: true,
      passingScore: true,
      quizSize: true,
      maxAttempts: true,
      retryWaitMinutes: true,
      timeLimitMinutes: true,
      sequential: true,
      selfEnroll: true,
      reviewPolicy: true,
      origin: true,
      updatedAt: true,
      publishedVersion: { select: { number: true, publishedAt: true } },
      lessons: {
        select: { id: true, slug: true, position: true, title: true, titleEn: true, minutes: true, rendererVersion: true, sourceHash: true },
        orderBy: { position: "asc" },
      },
      versions: { select: { id: true, number: true, publishedAt: true, publishedById: true }, orderBy: { number: "desc" }, take: 50 },
      _count: { select: { questions: true } },
    },
  });
  // CourseVersion keeps only the publisher's id (no relation), so names are read separately.
  const ids = [...new Set(course.versions.map((v) => v.publishedById).filter((id): id is number => id !== null))];
  const people = ids.length ? await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, fullName: true } }) : [];
  const names = new Map(people.map((p) => [p.id, p.fullName]));
  return {
    ...course,
    versions: course.versions.map((v) => ({ id: v.id, number: v.number, publishedAt: v.publishedAt, publishedBy: v.publishedById ? (names.get(v.publishedById) ?? null) : null })),
  };
}

export async function getLessonBySlug(courseId: number, slug: string) {
  return db.lesson.findUnique({
    where: { courseId_slug: { courseId, slug } },
    select: { id: true, slug: true, position: true, title: true, titleEn: true, minutes: true, source: true, html: true, sourceHash: true, rendererVersion: true },
  });
}

export async function listLessons(courseId: number) {
  return db.lesson.findMany({ where: { courseId }, select: { id: true, slug: true, position: true }, orderBy: { position: "asc" } });
}

export async function findLesson(id: number) {
  return db.lesson.findUnique({ where: { id }, select: { id: true, courseId: true, slug: true, position: true, title: true } });
}

export async function listQuestions(courseId: number) {
  return db.quizQuestion.findMany({
    where: { courseId },
    select: { id: true, key: true, position: true, type: true, prompt: true, choices: true, explanation: true },
    orderBy: { position: "asc" },
  });
}

export async function getQuizSize(courseId: number): Promise<number> {
  const course = await db.course.findUniqueOrThrow({ where: { id: courseId }, select: { quizSize: true } });
  return course.quizSize;
}

export async function findQuestion(id: number) {
  return db.quizQuestion.findUnique({ where: { id }, select: { id: true, courseId: true, key: true } });
}

export async function listMedia(courseId: number) {
  return db.media.findMany({
    where: { courseId },
    select: { id: true, name: true, mime: true, size: true, createdAt: true },
    orderBy: { createdAt: "desc" },
  });
}

export async function findMediaFile(courseSlug: string, name: string) {
  return db.media.findFirst({
    where: { name, course: { slug: courseSlug } },
    select: { mime: true, size: true, sha256: true, data: true },
  });
}

/** Everything export needs, in content/ order. */
export async function getCourseForExport(courseId: number) {
  return db.course.findUniqueOrThrow({
    where: { id: courseId },
    select: {
      slug: true,
      title: true,
      titleEn: true,
      summary: true,
      summaryEn: true,
      intro: true,
      category: true,
      estimatedMinutes: true,
      validityMonths: true,
      passingScore: true,
      quizSize: true,
      maxAttempts: true,
      retryWaitMinutes: true,
      timeLimitMinutes: true,
      sequential: true,
      selfEnroll: true,
      reviewPolicy: true,
      lessons: { select: { slug: true, title: true, titleEn: true, minutes: true, source: true }, orderBy: { position: "asc" } },
      questions: { select: { key: true, type: true, prompt: true, choices: true, explanation: true }, orderBy: { position: "asc" } },
      media: { select: { name: true, mime: true, sha256: true, data: true }, orderBy: { name: "asc" } },
    },
  });
}
