// What a transcript states about one person: who they are, and every course they were enrolled
// in (each cycle), with dates, the course's declared time, the best graded score and the
// certificate. Also the people of a unit's subtree, for a unit's transcripts in one ZIP.
import { db } from "~/platform/db.server";
import { subtreeOf } from "~/utils/org-units";

export function transcriptPerson(userId: number) {
  return db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      fullName: true,
      employeeCode: true,
      position: true,
      birthDate: true,
      active: true,
      orgUnit: { select: { id: true, path: true, code: true, nameVi: true } },
    },
  });
}
export type TranscriptPerson = NonNullable<Awaited<ReturnType<typeof transcriptPerson>>>;

export async function transcriptEntries(userId: number) {
  const rows = await db.enrollment.findMany({
    where: { userId },
    orderBy: [{ createdAt: "asc" }, { cycle: "asc" }],
    select: {
      cycle: true,
      createdAt: true,
      completedAt: true,
      exemptAt: true,
      course: { select: { title: true, estimatedMinutes: true, publishedVersion: { select: { title: true, estimatedMinutes: true } } } },
      attempts: { where: { status: "submitted" }, select: { score: true } },
      certificates: { orderBy: { issuedAt: "desc" }, take: 1, select: { code: true, status: true, expiresAt: true } },
    },
  });
  return rows.map((r) => ({
    course: r.course.publishedVersion?.title ?? r.course.title,
    cycle: r.cycle,
    enrolledAt: r.createdAt,
    completedAt: r.completedAt,
    exempt: r.exemptAt !== null,
    minutes: r.course.publishedVersion?.estimatedMinutes ?? r.course.estimatedMinutes,
    bestScore: r.attempts.reduce<number | null>((best, a) => (a.score !== null && (best === null || a.score > best) ? a.score : best), null),
    certificate: r.certificates[0] ?? null,
  }));
}
export type TranscriptEntry = Awaited<ReturnType<typeof transcriptEntries>>[number];

/** The active people of a unit's subtree, for a ZIP of their transcripts (at most `limit`). */
export function peopleUnder(path: string, limit: number) {
  return db.user.findMany({
    where: { active: true, orgUnit: { path: subtreeOf(path) } },
    orderBy: [{ orgUnit: { code: "asc" } }, { fullName: "asc" }],
    take: limit,
    select: { id: true, fullName: true, employeeCode: true },
  });
}
