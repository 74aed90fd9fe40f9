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
      completedByClass: { select: { title: true } },
      course: { select: { title: true, estimatedMinutes: true, publishedVersion: { select: { title: true, estimatedMinutes: true } } } },
      attempts: { where: { status: "submitted" }, select: { score: true } },
      certificates: { orderBy: { issuedAt: "desc" }, take: 1, select: { code: true, status: true, expiresAt: true } },
    },
  });
  const classes = await db.classAttendance.findMany({
    where: { userId },
    select: { result: true, class: { select: { title: true, provider: true, startsOn: true, endsOn: true, minutes: true } } },
  });
  const online = rows.map((r) => ({
    kind: "online" as "online" | "class",
    provider: "",
    classResult: null as string | null,
    course: r.course.publishedVersion?.title ?? r.course.title,
    cycle: r.cycle,
    enrolledAt: r.createdAt,
    completedAt: r.completedAt,
    exempt: r.exemptAt !== null,
    // Completed through a class: the class's own row counts the hours, so they are not counted twice.
    creditedBy: r.completedByClass?.title ?? null,
    minutes: r.completedByClass ? 0 : (r.course.publishedVersion?.estimatedMinutes ?? r.course.estimatedMinutes),
    bestScore: r.attempts.reduce<number | null>((best, a) => (a.score !== null && (best === null || a.score > best) ? a.score : best), null),
    certificate: r.certificates[0] ?? null,
  }));
  // In-person classes and external courses: completed only when the result says so.
  const inPerson = classes.map((a) => ({
    kind: "class" as const,
    provider: a.class.provider,
    classResult: a.result,
    course: a.class.title,
    cycle: 1,
    enrolledAt: a.class.startsOn,
    completedAt: a.result === "completed" ? a.class.endsOn : null,
    exempt: false,
    creditedBy: null,
    minutes: a.class.minutes,
    bestScore: null,
    certificate: null,
  }));
  return [...online, ...inPerson].sort((a, b) => a.enrolledAt.getTime() - b.enrolledAt.getTime());
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
