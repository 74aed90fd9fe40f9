// The database side of a course's version history: comparing, rolling back, unpublishing and
// review requests. Every write that must not happen twice is a conditional update.
import { db } from "~/platform/db.server";
import type { VersionContent } from "~/content/content-sync.data.server";

const VERSION_SETTINGS = {
  title: true, titleEn: true, summary: true, summaryEn: true, category: true, estimatedMinutes: true, validityMonths: true,
  passingScore: true, quizSize: true, maxAttempts: true, retryWaitMinutes: true, timeLimitMinutes: true, sequential: true, reviewPolicy: true,
} as const;

/** The course's state for the history page: published version, withdrawal, versions and review requests. */
export async function getVersionHistory(courseId: number) {
  const course = await db.course.findUniqueOrThrow({
    where: { id: courseId },
    select: {
      id: true,
      slug: true,
      title: true,
      unpublishedAt: true,
      updatedAt: true,
      publishedVersion: { select: { id: true, number: true } },
      versions: { select: { id: true, number: true, publishedAt: true, publishedById: true, restoresNumber: true }, orderBy: { number: "desc" }, take: 100 },
      publishRequests: {
        select: { id: true, requestedById: true, requestedAt: true, note: true, status: true, decidedById: true, decidedAt: true, comment: true, versionNumber: true, fingerprint: true },
        orderBy: { requestedAt: "desc" },
        take: 100,
      },
    },
  });
  // Versions and requests keep people's ids (no relation: a person may be erased), so names are read once here.
  const ids = new Set<number>();
  for (const v of course.versions) if (v.publishedById) ids.add(v.publishedById);
  for (const r of course.publishRequests) for (const id of [r.requestedById, r.decidedById]) if (id) ids.add(id);
  const people = ids.size ? await db.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, fullName: true } }) : [];
  return { course, names: new Map(people.map((p) => [p.id, p.fullName])) };
}

/** One published version, whole, as it is compared and rolled back to. */
export async function getVersionContent(courseId: number, number: number) {
  return db.courseVersion.findUnique({
    where: { courseId_number: { courseId, number } },
    select: {
      id: true,
      number: true,
      ...VERSION_SETTINGS,
      intro: true,
      introHtml: true,
      lessons: { select: { lessonId: true, slug: true, position: true, title: true, titleEn: true, minutes: true, html: true, sourceHash: true, source: true }, orderBy: { position: "asc" } },
      questions: { select: { key: true, type: true, prompt: true, choices: true, explanation: true, image: true, imageAlt: true }, orderBy: { id: "asc" } },
    },
  });
}

export type StoredVersion = NonNullable<Awaited<ReturnType<typeof getVersionContent>>>;

/** Lesson sources the course has kept anywhere (draft or versions), by the hash of the source. */
export async function sourcesByHash(courseId: number, hashes: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (!hashes.length) return found;
  const draft = await db.lesson.findMany({ where: { courseId, sourceHash: { in: hashes } }, select: { sourceHash: true, source: true } });
  const kept = await db.versionLesson.findMany({
    where: { version: { courseId }, sourceHash: { in: hashes }, source: { not: null } },
    select: { sourceHash: true, source: true },
  });
  for (const l of [...draft, ...kept]) if (l.source !== null && !found.has(l.sourceHash)) found.set(l.sourceHash, l.source);
  return found;
}

/** An introduction source kept by another version that rendered to the same HTML. */
export async function introSourceByHtml(courseId: number, introHtml: string): Promise<string | null> {
  const v = await db.courseVersion.findFirst({ where: { courseId, introHtml, intro: { not: null } }, select: { intro: true } });
  return v?.intro ?? null;
}

/** The draft lessons' rendering state, to reuse a body already rendered by the current components. */
export async function draftLessonBodies(courseId: number) {
  return db.lesson.findMany({ where: { courseId }, select: { id: true, sourceHash: true, html: true, rendererVersion: true } });
}

export type RestoredLesson = { id: number; slug: string; title: string; titleEn: string; minutes: number; source: string; sourceHash: string; html: string; rendererVersion: number };

/**
 * A rollback, all or nothing: the draft becomes the restored content and, unless `publish` is
 * null (a review is required), the next version is created from it and published. It happens
 * only while `expectedVersionId` is still the published version: the first statement is a
 * conditional update of the course row, so of two rollbacks at once (same target or not) the
 * second finds the course changed and does nothing. Returns null then.
 */
export async function restoreDraft(
  courseId: number,
  expectedVersionId: number,
  draft: { settings: Record<string, string | number | boolean>; intro: string; lessons: RestoredLesson[]; questions: VersionContent["questions"] },
  publish: { publishedById: number; contentHash: string; content: VersionContent } | null,
): Promise<{ number: number | null } | null> {
  return db.$transaction(
    async (tx) => {
      const claimed = await tx.course.updateMany({ where: { id: courseId, publishedVersionId: expectedVersionId }, data: { ...draft.settings, intro: draft.intro, updatedAt: new Date() } });
      if (claimed.count !== 1) return null;
      const keep = draft.lessons.map((l) => l.id);
      await tx.lesson.deleteMany({ where: { courseId, id: { notIn: keep } } });
      const existing = new Set((await tx.lesson.findMany({ where: { courseId }, select: { id: true } })).map((l) => l.id));
      // Slugs are unique per course: park the kept lessons on temporary slugs first, so two lessons may swap theirs.
      for (const id of existing) await tx.lesson.update({ where: { id }, data: { slug: `~rollback-${id}` } });
      for (const [i, l] of draft.lessons.entries()) {
        const data = { slug: l.slug, position: i + 1, title: l.title, titleEn: l.titleEn, minutes: l.minutes, source: l.source, sourceHash: l.sourceHash, html: l.html, rendererVersion: l.rendererVersion };
        // A lesson deleted since comes back with its old id, so learners' completions of it count again.
        if (existing.has(l.id)) await tx.lesson.update({ where: { id: l.id }, data });
        else await tx.lesson.create({ data: { id: l.id, courseId, ...data } });
      }
      await tx.quizQuestion.deleteMany({ where: { courseId } });
      await tx.quizQuestion.createMany({ data: draft.questions.map((q, i) => ({ courseId, position: i + 1, ...q })) });
      if (!publish) return { number: null };
      const latest = await tx.courseVersion.aggregate({ where: { courseId }, _max: { number: true } });
      const number = (latest._max.number ?? 0) + 1;
      const v = await tx.courseVersion.create({
        data: {
          courseId,
          number,
          publishedById: publish.publishedById,
          contentHash: publish.contentHash,
          ...publish.content.snapshot,
          lessons: { create: publish.content.lessons },
          questions: { create: publish.content.questions },
        },
      });
      await tx.course.update({ where: { id: courseId }, data: { publishedVersionId: v.id } });
      return { number };
    },
    { maxWait: 30_000, timeout: 120_000 },
  );
}

// ---------------------------------------------------------------------------------------
// Withdrawing from the catalogue

/** Withdraws a published course; false when it already was (a double submit) or was never published. */
export async function markUnpublished(courseId: number, now: Date): Promise<boolean> {
  const r = await db.course.updateMany({ where: { id: courseId, unpublishedAt: null, publishedVersionId: { not: null } }, data: { unpublishedAt: now } });
  return r.count === 1;
}

export async function markRepublished(courseId: number): Promise<boolean> {
  const r = await db.course.updateMany({ where: { id: courseId, unpublishedAt: { not: null } }, data: { unpublishedAt: null } });
  return r.count === 1;
}

/** Active people enrolled and not finished (nor exempted): those a withdrawal concerns. */
export async function learnersInProgress(courseId: number) {
  return db.enrollment.findMany({
    where: { courseId, completedAt: null, exemptAt: null, user: { active: true } },
    select: { user: { select: { email: true, fullName: true, locale: true } } },
  });
}

// ---------------------------------------------------------------------------------------
// Review requests

/**
 * Opens a request. `openFor` is unique, so a course has at most one open request: a second one
 * at the same moment fails with P2002 (the caller treats it as "already requested").
 */
export async function insertPublishRequest(input: { courseId: number; requestedById: number; fingerprint: string; note: string }) {
  return db.publishRequest.create({ data: { ...input, openFor: input.courseId } });
}

export async function findOpenRequest(courseId: number) {
  return db.publishRequest.findFirst({ where: { courseId, openFor: courseId }, select: { id: true, requestedById: true, fingerprint: true, status: true } });
}

export async function findRequest(courseId: number, id: number) {
  return db.publishRequest.findFirst({ where: { id, courseId }, select: { id: true, requestedById: true, fingerprint: true, status: true } });
}

/**
 * Moves a pending request to its next state, only if it is still pending and was asked by
 * someone else than `notBy`: of two approvals at once, exactly one gets true.
 */
export async function claimRequest(id: number, to: "approving" | "rejected" | "superseded" | "withdrawn", by: number | null, comment = "", notBy?: number) {
  const closes = to !== "approving";
  const r = await db.publishRequest.updateMany({
    where: { id, status: "pending", ...(notBy !== undefined ? { NOT: { requestedById: notBy } } : {}) },
    data: { status: to, decidedById: by, decidedAt: new Date(), comment, ...(closes ? { openFor: null } : {}) },
  });
  return r.count === 1;
}

/** An approval whose process died between claiming and publishing: pending again after `before`. */
export async function releaseStuckApprovals(courseId: number, before: Date) {
  await db.publishRequest.updateMany({ where: { courseId, status: "approving", decidedAt: { lt: before } }, data: { status: "pending", decidedById: null, decidedAt: null, comment: "" } });
}

/** After an approval: published (closed, with the version's number) or back to pending when publishing was refused. */
export async function finishApproval(id: number, outcome: { approved: true; versionNumber: number } | { approved: false; status: "pending" | "superseded" }) {
  await db.publishRequest.update({
    where: { id },
    data: outcome.approved
      ? { status: "approved", versionNumber: outcome.versionNumber, openFor: null }
      : outcome.status === "pending"
        ? { status: "pending", decidedById: null, decidedAt: null }
        : { status: "superseded", openFor: null },
  });
}
