// Read side of published courses, as learners see them. Drafts never appear here.
import { db, readRows } from "~/platform/db.server";
import { BoundedCache } from "~/utils/bounded-cache";
import type { Category } from "~/utils/course";
import { foldText } from "~/utils/text";

/**
 * Published courses, optionally of one category and matching a search. The search ignores case
 * and Vietnamese diacritics ("an toan" finds "An toàn thông tin") and looks at both languages'
 * titles and summaries. SQLite cannot fold diacritics, so the published versions (a few dozen
 * at most) are read and filtered here rather than in the query.
 */
export async function listPublishedCourses({ q, category }: { q: string; category: Category | null }) {
  const versions = await db.courseVersion.findMany({
    where: { publishedCourse: { is: { unpublishedAt: null } }, ...(category ? { category } : {}) },
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
  const words = foldText(q).split(" ").filter(Boolean);
  if (!words.length) return versions;
  return versions.filter((v) => {
    const text = foldText([v.title, v.summary, v.titleEn, v.summaryEn].join(" "));
    return words.every((word) => text.includes(word));
  });
}

const versionSelect = {
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
} as const;

type PublishedVersion = NonNullable<Awaited<ReturnType<typeof loadVersion>>>;

/** The columns of Course a published course is built from (publishedCourseFromRow). */
export type CourseRow = { id: number; selfEnroll: boolean | number; publishedVersionId: number | null; unpublishedAt: unknown };

function loadVersion(id: number) {
  return db.courseVersion.findUnique({ where: { id }, select: versionSelect });
}

/**
 * Published versions never change once written (publishing creates a new version and moves
 * Course.publishedVersionId), so each process may keep them by id. Every request still reads
 * the course's current publishedVersionId, so a new version is seen at once by every instance.
 */
const versions = new BoundedCache<number, Promise<PublishedVersion | null>>({ maxEntries: 256 });
// Lesson bodies are bounded by their total size, not by their number.
const lessonBodies = new BoundedCache<string, { html: string }>({
  maxEntries: Infinity,
  maxWeight: 32 * 1024 * 1024, // characters of HTML
  weigh: (body) => body.html.length,
});

/** Shared by every request: frozen, so a caller that tried to change it would fail loudly. */
function deepFreeze(version: PublishedVersion): PublishedVersion {
  for (const l of version.lessons) Object.freeze(l);
  Object.freeze(version.lessons);
  return Object.freeze(version);
}

function publishedVersion(id: number): Promise<PublishedVersion | null> {
  const hit = versions.get(id);
  if (hit) return hit;
  // Concurrent first requests share one read; a failed or empty read is not remembered.
  const pending = loadVersion(id).then((v) => (v ? deepFreeze(v) : (versions.delete(id), null)));
  pending.catch(() => versions.delete(id));
  versions.set(id, pending);
  return pending;
}

/**
 * The published version of a course with its lesson list, or null. One indexed read of the
 * course per call (its current version, the draft-side flag selfEnroll and whether it was
 * withdrawn); the version itself
 * comes from the per-process cache after its first use.
 */
export async function getPublishedCourse(slug: string) {
  const rows = await readRows<CourseRow>`
    SELECT "id", "selfEnroll", "publishedVersionId", "unpublishedAt" FROM "Course" WHERE "slug" = ${slug}`;
  return publishedCourseFromRow(slug, rows[0]);
}

/** The published course a row of Course describes (read by getPublishedCourse or with the learner's enrolment), or null. */
export async function publishedCourseFromRow(slug: string, course: CourseRow | null | undefined) {
  if (!course?.publishedVersionId) return null;
  const version = await publishedVersion(Number(course.publishedVersionId));
  if (!version) return null;
  // Withdrawn (versions.server.ts unpublish): still readable by those enrolled, closed to everyone else.
  return { id: Number(course.id), slug, selfEnroll: Boolean(course.selfEnroll), withdrawn: course.unpublishedAt !== null, version };
}

export type PublishedCourse = NonNullable<Awaited<ReturnType<typeof getPublishedCourse>>>;

/** A lesson's rendered HTML in a published version (immutable, so cached per process). */
export async function getLessonHtml(versionId: number, slug: string): Promise<{ html: string } | null> {
  const key = `${versionId}/${slug}`;
  const hit = lessonBodies.get(key);
  if (hit) return hit;
  const body = await db.versionLesson.findUnique({
    where: { versionId_slug: { versionId, slug } },
    select: { html: true },
  });
  // Misses are not cached: slugs come from URLs.
  if (!body || lessonBodies.has(key)) return body;
  lessonBodies.set(key, Object.freeze(body));
  return body;
}
