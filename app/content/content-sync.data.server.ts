// The database side of loading the content/ folder and of publishing: a course's draft written
// as a whole, and drafts frozen into CourseVersions.
import type { Prisma } from "~/generated/sqlite/client";
import { mediaRow } from "~/content/media-types.server";
import { db } from "~/platform/db.server";
import type { CourseFiles } from "~/content/course-format.server";

/** What the database already holds of a shipped course, so unchanged lessons are not compiled again. */
export async function findSyncedCourse(slug: string) {
  return db.course.findUnique({
    where: { slug },
    select: { lessons: { select: { slug: true, sourceHash: true, rendererVersion: true } }, media: { select: { name: true, sha256: true } } },
  });
}

/** A lesson body compiled for the draft. */
export type RenderedLesson = { source: string; sourceHash: string; html: string; rendererVersion: number };

// A course's draft is written in one transaction; a large course (many images) may take a while.
const TX = { maxWait: 30_000, timeout: 120_000 };

/**
 * Writes the course folder into its draft, as a whole or not at all: a database error half-way
 * leaves it as it was. Lessons missing from `rendered` keep their stored body; images are added,
 * never removed (published versions may still show them).
 */
export async function writeCourseDraft(c: CourseFiles, rendered: Map<string, RenderedLesson>) {
  return db.$transaction(async (tx) => {
    const course = await tx.course.upsert({
      where: { slug: c.slug },
      create: { slug: c.slug, ...c.settings, intro: c.intro, origin: "content" },
      update: { ...c.settings, intro: c.intro },
    });
    const existing = await tx.lesson.findMany({ where: { courseId: course.id }, select: { id: true, slug: true } });
    for (const l of c.lessons) {
      const old = existing.find((e) => e.slug === l.slug);
      const fields = { position: l.position, title: l.title, titleEn: l.titleEn, minutes: l.minutes, ...rendered.get(l.slug) };
      if (old) await tx.lesson.update({ where: { id: old.id }, data: fields });
      else await tx.lesson.create({ data: { courseId: course.id, slug: l.slug, source: l.source, ...fields } });
    }
    const keep = new Set(c.lessons.map((l) => l.slug));
    await tx.lesson.deleteMany({ where: { courseId: course.id, slug: { notIn: [...keep] } } });
    await tx.quizQuestion.deleteMany({ where: { courseId: course.id, key: { notIn: c.questions.map((q) => q.id) } } });
    for (const [i, q] of c.questions.entries()) {
      const data = { position: i + 1, type: q.type, prompt: q.prompt, choices: JSON.stringify(q.choices), explanation: q.explanation, image: q.image ?? null, imageAlt: q.image ? (q.imageAlt ?? "") : "" };
      await tx.quizQuestion.upsert({
        where: { courseId_key: { courseId: course.id, key: q.id } },
        create: { courseId: course.id, key: q.id, ...data },
        update: data,
      });
    }
    const stored = new Set((await tx.media.findMany({ where: { courseId: course.id }, select: { name: true } })).map((m) => m.name));
    for (const m of c.media.filter((m) => !stored.has(m.name))) {
      await tx.media.create({ data: mediaRow({ courseId: course.id, name: m.name, mime: m.mime, sha256: m.sha256, bytes: m.bytes }) });
    }
    return course;
  }, TX);
}

/** The draft with its lessons and questions in order, and the version now published. */
export async function getDraftForPublishing(courseId: number) {
  return db.course.findUniqueOrThrow({
    where: { id: courseId },
    include: {
      lessons: { orderBy: { position: "asc" } },
      questions: { orderBy: { position: "asc" } },
      publishedVersion: { select: { id: true, number: true, contentHash: true } },
    },
  });
}

/** What a version freezes: the course's settings and rendered introduction, its lessons and its question bank. */
export type VersionContent = {
  snapshot: Omit<Prisma.CourseVersionUncheckedCreateInput, "id" | "courseId" | "number" | "publishedAt" | "publishedById" | "contentHash" | "lessons" | "questions" | "attempts">;
  lessons: Prisma.VersionLessonCreateWithoutVersionInput[];
  questions: Prisma.VersionQuestionCreateWithoutVersionInput[];
};

/**
 * Stores the next version of the course and makes it the published one. Two publishes at the
 * same moment pick the same number; the second fails on (courseId, number) and changes nothing.
 */
export async function createCourseVersion(courseId: number, publishedById: number | null, contentHash: string, { snapshot, lessons, questions }: VersionContent) {
  const latest = await db.courseVersion.aggregate({ where: { courseId }, _max: { number: true } });
  const number = (latest._max.number ?? 0) + 1;
  const version = await db.$transaction(async (tx) => {
    const v = await tx.courseVersion.create({
      data: {
        courseId,
        number,
        publishedById,
        contentHash,
        ...snapshot,
        lessons: { create: lessons },
        questions: { create: questions },
      },
    });
    await tx.course.update({ where: { id: courseId }, data: { publishedVersionId: v.id } });
    return v;
  });
  return { number, versionId: version.id };
}
