// Read side of published courses, as learners see them. Drafts never appear here.
import { db } from "~/services/db.server";
import type { Category } from "~/utils/course";

export async function listPublishedCourses({ q, category }: { q: string; category: Category | null }) {
  const text = q.trim();
  const versions = await db.courseVersion.findMany({
    where: {
      publishedCourse: { isNot: null },
      ...(category ? { category } : {}),
      ...(text
        ? { OR: [{ title: { contains: text } }, { summary: { contains: text } }, { titleEn: { contains: text } }] }
        : {}),
    },
    select: {
      title: true,
      titleEn: true,
      summary: true,
      summaryEn: true,
      category: true,
      estimatedMinutes: true,
      course: { select: { slug: true } },
      _count: { select: { lessons: true } },
    },
    orderBy: { title: "asc" },
  });
  return versions;
}

/** The published version of a course with its lesson list, or null. */
export async function getPublishedCourse(slug: string) {
  const course = await db.course.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      selfEnroll: true,
      publishedVersion: {
        select: {
          id: true,
          number: true,
          title: true,
          titleEn: true,
          summary: true,
          summaryEn: true,
          introHtml: true,
          category: true,
          estimatedMinutes: true,
          validityMonths: true,
          passingScore: true,
          quizSize: true,
          maxAttempts: true,
          retryWaitMinutes: true,
          timeLimitMinutes: true,
          sequential: true,
          reviewPolicy: true,
          lessons: {
            select: { lessonId: true, slug: true, position: true, title: true, titleEn: true, minutes: true },
            orderBy: { position: "asc" },
          },
        },
      },
    },
  });
  if (!course?.publishedVersion) return null;
  const { publishedVersion: version, ...rest } = course;
  return { ...rest, version };
}

export type PublishedCourse = NonNullable<Awaited<ReturnType<typeof getPublishedCourse>>>;

export async function getLessonHtml(versionId: number, slug: string) {
  return db.versionLesson.findUnique({
    where: { versionId_slug: { versionId, slug } },
    select: { html: true },
  });
}
