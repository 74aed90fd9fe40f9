// Draft courses as trainers see and change them. Learners never read from here (see
// catalog.data.server.ts).
import type { mediaRow } from "~/content/media-types.server";
import { db, readRows, writeRows } from "~/platform/db.server";
import type { CourseSettings } from "~/content/course-format.server";
import { DEFAULT_REVIEW_POLICY, type Category } from "~/utils/course";
import { subtreeOf } from "~/utils/org-units";

/** The draft course's settings, as the settings form edits them and the content/ format writes them. */
const COURSE_SETTINGS = {
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
} as const;

/** Which courses someone may edit: those of units under `paths`, and the deployment's own when `deploymentWide`. */
export type EditableScope = { paths: string[]; deploymentWide: boolean };

function editableWhere(scope: EditableScope) {
  const units = scope.paths.map((p) => ({ unit: { path: subtreeOf(p) } }));
  return { OR: [...units, ...(scope.deploymentWide ? [{ unitId: null }] : [])] };
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
      unit: { select: { nameVi: true, nameEn: true } },
      publishedVersion: { select: { number: true, publishedAt: true } },
      _count: { select: { lessons: true, questions: true } },
    },
    orderBy: { title: "asc" },
  });
}

/** The identity of a course, enough to decide whether a user may edit it. */
export async function findCourseForAccess(slug: string) {
  return db.course.findUnique({ where: { slug }, select: { id: true, slug: true, title: true, ownerId: true, origin: true, unit: { select: { path: true } } } });
}

export type CourseRef = NonNullable<Awaited<ReturnType<typeof findCourseForAccess>>>;

/** Enough to decide who may see the course's images: its editors, and learners once published. */
export async function findCourseForMediaAccess(slug: string) {
  return db.course.findUnique({ where: { slug }, select: { id: true, ownerId: true, origin: true, publishedVersionId: true, unit: { select: { path: true } } } });
}

export async function slugTaken(slug: string): Promise<boolean> {
  return (await db.course.count({ where: { slug } })) > 0;
}

export async function getCourseEditor(courseId: number) {
  const course = await db.course.findUniqueOrThrow({
    where: { id: courseId },
    select: {
      id: true,
      slug: true,
      ...COURSE_SETTINGS,
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
    select: { id: true, key: true, position: true, type: true, prompt: true, choices: true, explanation: true, image: true, imageAlt: true },
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

/** A media file's description and, for images and captions, its bytes (chunked files: empty). */
export async function findMediaFile(courseSlug: string, name: string) {
  return db.media.findFirst({
    where: { name, course: { slug: courseSlug } },
    select: { id: true, mime: true, size: true, sha256: true, data: true },
  });
}

/**
 * The pieces `from` to `to` (inclusive) of a chunked media file, in order. Straight on the
 * driver: through the ORM a megabyte of bytes cost ten times as long (they travel as text).
 */
export async function mediaChunks(mediaId: number, from: number, to: number): Promise<{ seq: number; data: Uint8Array<ArrayBuffer> }[]> {
  const rows = await readRows<{ seq: number | bigint; data: Uint8Array<ArrayBuffer> }>`
    SELECT "seq", "data" FROM "MediaChunk" WHERE "mediaId" = ${mediaId} AND "seq" >= ${from} AND "seq" <= ${to} ORDER BY "seq"`;
  return rows.map((r) => ({ seq: Number(r.seq), data: r.data }));
}

/** Everything export needs, in content/ order. */
export async function getCourseForExport(courseId: number) {
  return db.course.findUniqueOrThrow({
    where: { id: courseId },
    select: {
      slug: true,
      ...COURSE_SETTINGS,
      lessons: { select: { slug: true, title: true, titleEn: true, minutes: true, source: true }, orderBy: { position: "asc" } },
      questions: { select: { key: true, type: true, prompt: true, choices: true, explanation: true, image: true, imageAlt: true }, orderBy: { position: "asc" } },
      media: { select: { name: true, mime: true, sha256: true, data: true, chunks: { select: { data: true }, orderBy: { seq: "asc" } } }, orderBy: { name: "asc" } },
    },
  });
}

// ---------------------------------------------------------------------------------------
// Changes to drafts. A unique constraint that fails (a slug, a name or a key taken meanwhile)
// throws Prisma's P2002, which the workflows turn into a message.

export async function insertCourse(input: { slug: string; title: string; category: Category; ownerId: number; unitId: number | null }) {
  return db.course.create({ data: { ...input, origin: "web", reviewPolicy: DEFAULT_REVIEW_POLICY } });
}

/** Draft edits move updatedAt, so the course page can say when the draft last changed. */
export async function touchCourse(courseId: number) {
  await db.course.update({ where: { id: courseId }, data: { updatedAt: new Date() } });
}

export async function updateCourseSettings(courseId: number, settings: CourseSettings & { intro: string }) {
  await db.course.update({ where: { id: courseId }, data: settings });
}

/** A new lesson after the last one. */
export async function insertLesson(courseId: number, input: { slug: string; title: string; source: string }) {
  const last = await db.lesson.aggregate({ where: { courseId }, _max: { position: true } });
  return db.lesson.create({ data: { courseId, ...input, position: (last._max.position ?? 0) + 1 } });
}

/** Positions 1, 2, 3… in the order given, all or none. */
export async function renumberLessons(lessons: { id: number }[]) {
  await db.$transaction(lessons.map((l, index) => db.lesson.update({ where: { id: l.id }, data: { position: index + 1 } })));
}

export async function updateLesson(
  courseId: number,
  lessonId: number,
  data: { title: string; titleEn: string; minutes: number; source: string; sourceHash: string; html: string; rendererVersion: number },
) {
  await db.lesson.updateMany({ where: { id: lessonId, courseId }, data });
}

export async function deleteDraftLesson(courseId: number, lessonId: number) {
  await db.lesson.deleteMany({ where: { id: lessonId, courseId } });
}

export async function findQuestionByKey(courseId: number, key: string) {
  return db.quizQuestion.findUnique({ where: { courseId_key: { courseId, key } }, select: { id: true } });
}

type QuestionFields = { key: string; type: string; prompt: string; choices: string; explanation: string; image: string | null; imageAlt: string };

/** A new question after the last one. */
export async function insertQuestion(courseId: number, data: QuestionFields) {
  const last = await db.quizQuestion.aggregate({ where: { courseId }, _max: { position: true } });
  await db.quizQuestion.create({ data: { courseId, position: (last._max.position ?? 0) + 1, ...data } });
}

export async function updateQuestion(courseId: number, questionId: number, data: QuestionFields) {
  await db.quizQuestion.updateMany({ where: { id: questionId, courseId }, data });
}

export async function deleteDraftQuestion(courseId: number, questionId: number) {
  await db.quizQuestion.deleteMany({ where: { id: questionId, courseId } });
}

/** The course's image with these bytes, if it was uploaded before. */
export async function findMediaByHash(courseId: number, sha256: string) {
  return db.media.findFirst({ where: { courseId, sha256 }, select: { name: true } });
}

/** Names in the course's media library that start with `stem`, to pick a free one. */
export async function mediaNamesStartingWith(courseId: number, stem: string): Promise<Set<string>> {
  return new Set((await db.media.findMany({ where: { courseId, name: { startsWith: stem } }, select: { name: true } })).map((m) => m.name));
}

/**
 * The row, then its pieces one statement each, straight on the driver: a 50 MB video through the
 * ORM in one nested create took a gigabyte of memory (its bytes travel as text). Pieces that
 * fail to be written take the row with them.
 */
export async function insertMedia(row: ReturnType<typeof mediaRow>) {
  const { chunks, ...media } = row;
  const { id } = await db.media.create({ data: media, select: { id: true } });
  try {
    for (const chunk of chunks?.create ?? []) {
      await writeRows`INSERT INTO "MediaChunk" ("mediaId", "seq", "data") VALUES (${id}, ${chunk.seq}, ${Buffer.from(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength)})`;
    }
  } catch (error) {
    await db.media.delete({ where: { id } });
    throw error;
  }
}

/** The published version as the draft is compared with it (unpublishedChanges). */
export async function publishedForComparison(courseId: number) {
  const course = await db.course.findUniqueOrThrow({
    where: { id: courseId },
    select: {
      ...COURSE_SETTINGS,
      lessons: { select: { id: true, title: true, titleEn: true, minutes: true, position: true, sourceHash: true } },
      questions: { select: { key: true, type: true, prompt: true, choices: true, explanation: true, image: true, imageAlt: true } },
      publishedVersion: {
        select: {
          number: true,
          title: true, titleEn: true, summary: true, summaryEn: true, category: true, estimatedMinutes: true, validityMonths: true,
          passingScore: true, quizSize: true, maxAttempts: true, retryWaitMinutes: true, timeLimitMinutes: true, sequential: true, reviewPolicy: true,
          lessons: { select: { lessonId: true, title: true, titleEn: true, minutes: true, position: true, sourceHash: true } },
          questions: { select: { key: true, type: true, prompt: true, choices: true, explanation: true, image: true, imageAlt: true } },
        },
      },
    },
  });
  return course;
}
