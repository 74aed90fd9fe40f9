// The reads behind the question statistics of a course version (/author/<course>/quiz/stats).
// Everything is summed in the database, so a province's tens of thousands of attempts come back
// as one row per question, per (question, answer), per score band and per unit. Graded attempts
// only; nothing here names a learner. Numbers may come back as bigint or numeric strings, hence
// the Number() on them.
import { db, readRows } from "~/platform/db.server";

/** Which graded attempts count: all of them, or each enrolment's first on this version (Moodle's default). */
export type AttemptSet = "all" | "first";

// Which attempts count is a parameter, not a spliced fragment: readRows keeps one prepared
// statement per template. With 0 the OR never reaches the subquery.
const firstOnly = (set: AttemptSet) => (set === "first" ? 1 : 0);

/** The course's versions, newest first. */
export function versionsOf(courseId: number) {
  return db.courseVersion.findMany({ where: { courseId }, select: { id: true, number: true, publishedAt: true }, orderBy: { number: "desc" } });
}

/** The version's questions with their choices (key included: the trainer's own bank). */
export function versionQuestions(versionId: number) {
  return db.versionQuestion.findMany({ where: { versionId }, select: { id: true, key: true, type: true, prompt: true, choices: true }, orderBy: { id: "asc" } });
}

type Num = number | bigint | string | null;

export type QuestionSums = { n: number; sx: number; sy: number; sxy: number; syy: number };
export type AnswerSums = QuestionSums & { questionId: number; answer: string | null };

/**
 * Per question and per answer given (the JSON list of chosen ids, or null), over the attempts
 * it appeared in: x is its mark (1 right, 0 not), y the marks of the rest of the attempt (the
 * attempt's graded count minus x). n, Σx, Σy, Σxy and Σy² are all a correlation needs (Σx² =
 * Σx); the caller adds up a question's answers. One pass over the attempts' questions serves
 * both the indices and the picks.
 */
export async function answerSums(versionId: number, set: AttemptSet): Promise<AnswerSums[]> {
  const rows = await readRows<{ questionId: Num; answer: string | null; n: Num; sx: Num; sy: Num; sxy: Num; syy: Num }>`
    SELECT "questionId", "answer", COUNT(*) AS "n", SUM("x") AS "sx", SUM("y") AS "sy", SUM("x" * "y") AS "sxy", SUM("y" * "y") AS "syy"
    FROM (
      SELECT q."questionId", q."answer", CASE WHEN q."correct" THEN 1 ELSE 0 END AS "x",
        a."correctCount" - CASE WHEN q."correct" THEN 1 ELSE 0 END AS "y"
      FROM "QuizAttempt" a JOIN "AttemptQuestion" q ON q."attemptId" = a."id"
      WHERE a."versionId" = ${versionId} AND a."status" = 'submitted'
        AND (${firstOnly(set)} = 0 OR a."number" = (SELECT MIN(b."number") FROM "QuizAttempt" b
          WHERE b."enrollmentId" = a."enrollmentId" AND b."versionId" = a."versionId" AND b."status" = 'submitted'))
    ) m
    GROUP BY "questionId", "answer"`;
  return rows.map((r) => ({
    questionId: Number(r.questionId),
    answer: r.answer,
    n: Number(r.n),
    sx: Number(r.sx),
    sy: Number(r.sy),
    sxy: Number(r.sxy),
    syy: Number(r.syy),
  }));
}

/** Attempts per score band of ten points (band 9 holds 90 to 100), with how many passed and their scores' sum. */
export async function scoreBands(versionId: number, set: AttemptSet): Promise<{ band: number; attempts: number; passed: number; scoreSum: number }[]> {
  const rows = await readRows<{ band: Num; attempts: Num; passed: Num; scoreSum: Num }>`
    SELECT CASE WHEN a."score" >= 100 THEN 9 ELSE a."score" / 10 END AS "band", COUNT(*) AS "attempts", SUM(a."score") AS "scoreSum",
      SUM(CASE WHEN a."passed" THEN 1 ELSE 0 END) AS "passed"
    FROM "QuizAttempt" a
    WHERE a."versionId" = ${versionId} AND a."status" = 'submitted'
        AND (${firstOnly(set)} = 0 OR a."number" = (SELECT MIN(b."number") FROM "QuizAttempt" b
          WHERE b."enrollmentId" = a."enrollmentId" AND b."versionId" = a."versionId" AND b."status" = 'submitted')) AND a."score" IS NOT NULL
    GROUP BY CASE WHEN a."score" >= 100 THEN 9 ELSE a."score" / 10 END`;
  return rows.map((r) => ({ band: Number(r.band), attempts: Number(r.attempts), passed: Number(r.passed), scoreSum: Number(r.scoreSum) }));
}

/**
 * Learners who took the version's quiz and how many of them passed it (on any graded attempt),
 * per the unit each learner belongs to now.
 */
export async function passesByUnit(versionId: number): Promise<{ orgUnitId: number; path: string; learners: number; passed: number }[]> {
  const rows = await readRows<{ orgUnitId: Num; path: string; learners: Num; passed: Num }>`
    SELECT u."orgUnitId", o."path", COUNT(*) AS "learners", SUM(p."passed") AS "passed"
    FROM (
      SELECT a."enrollmentId", MAX(CASE WHEN a."passed" THEN 1 ELSE 0 END) AS "passed"
      FROM "QuizAttempt" a
      WHERE a."versionId" = ${versionId} AND a."status" = 'submitted'
      GROUP BY a."enrollmentId"
    ) p
    JOIN "Enrollment" e ON e."id" = p."enrollmentId"
    JOIN "User" u ON u."id" = e."userId"
    JOIN "OrgUnit" o ON o."id" = u."orgUnitId"
    GROUP BY u."orgUnitId", o."path"`;
  return rows.map((r) => ({ orgUnitId: Number(r.orgUnitId), path: r.path, learners: Number(r.learners), passed: Number(r.passed) }));
}

/** Names of the units at these paths. */
export function unitsAt(paths: string[]) {
  if (!paths.length) return Promise.resolve([]);
  return db.orgUnit.findMany({ where: { path: { in: paths } }, select: { code: true, path: true, nameVi: true, nameEn: true } });
}

/** The course's owning unit (for the depth of the pass-rate rows), or null for the deployment's own. */
export function courseUnit(courseId: number) {
  return db.course.findUnique({ where: { id: courseId }, select: { publishedVersionId: true, unit: { select: { path: true, depth: true } } } });
}
