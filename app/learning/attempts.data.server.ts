// Every read and write of quiz attempts: drawing, saving answers, grading exactly once, review,
// and HR's correction of a grade. The quiz page's reads, saving and submitting are hand-written
// SQL: each ORM call costs a query compilation, which made up a third of a submission's CPU
// time. Numbers may come back as bigint, hence the Number() on them; booleans are written as
// parameters, which both databases store as the ORM does.
import { Prisma } from "~/generated/sqlite/client";
import type { Choice } from "~/utils/course";
import { db, readRows, type Tx } from "~/platform/db.server";

/** Short transactions, but willing to queue behind others in a burst rather than fail. */
const TX = { maxWait: 30_000, timeout: 30_000 };

/** The enrolment's open attempt, if any. */
export async function openAttemptOf(enrollmentId: number): Promise<{ id: number; deadlineAt: Date | null } | null> {
  const rows = await readRows<{ id: number | bigint; deadlineAt: Date | string | number | null }>`
    SELECT "id", "deadlineAt" FROM "QuizAttempt" WHERE "enrollmentId" = ${enrollmentId} AND "status" = 'open' LIMIT 1`;
  const row = rows[0];
  if (!row) return null;
  return { id: Number(row.id), deadlineAt: row.deadlineAt === null ? null : new Date(row.deadlineAt) };
}

/** Open attempts whose deadline passed before `before`, oldest first, a thousand at most. */
export function openAttemptsDueBefore(before: Date) {
  return db.quizAttempt.findMany({
    where: { status: "open", deadlineAt: { lt: before } },
    select: { id: true, enrollmentId: true, enrollment: { select: { userId: true, course: { select: { slug: true } } } } },
    orderBy: { id: "asc" },
    take: 1000,
  });
}

type SummaryRow = { id: number | bigint; number: number | bigint; score: number | bigint | null; passed: boolean | number | bigint | null; submittedAt: Date | string | number | null };

/** The learner's graded attempts, newest first. */
export async function attemptSummary(enrollmentId: number) {
  const rows = await readRows<SummaryRow>`
    SELECT "id", "number", "score", "passed", "submittedAt" FROM "QuizAttempt"
    WHERE "enrollmentId" = ${enrollmentId} AND "status" = 'submitted'
    ORDER BY "number" DESC`;
  // Read back as numbers and booleans whatever the driver returns (bigint, 0/1).
  return rows.map((r) => ({
    id: Number(r.id),
    number: Number(r.number),
    score: r.score === null ? null : Number(r.score),
    passed: r.passed === null ? null : Boolean(Number(r.passed)),
    submittedAt: r.submittedAt === null ? null : new Date(r.submittedAt),
  }));
}

/** A version's question bank: question ids and their choice ids, never the key. */
export async function questionChoices(versionId: number): Promise<{ id: number; choiceIds: string[] }[]> {
  const rows = await readRows<{ id: number | bigint; choices: string }>`
    SELECT "id", "choices" FROM "VersionQuestion" WHERE "versionId" = ${versionId} ORDER BY "id"`;
  return rows.map((r) => ({ id: Number(r.id), choiceIds: (JSON.parse(r.choices) as Choice[]).map((c) => c.id) }));
}

/** Every attempt of the enrolment, latest number first. */
export function attemptsOf(enrollmentId: number) {
  return readRows<{ number: number | bigint; submittedAt: Date | string | number | null }>`
    SELECT "number", "submittedAt" FROM "QuizAttempt" WHERE "enrollmentId" = ${enrollmentId} ORDER BY "number" DESC`;
}

export type NewAttempt = {
  enrollmentId: number;
  versionId: number;
  number: number;
  startedAt: Date;
  deadlineAt: Date | null;
  /** The drawn questions in order, each with its choices in the order shown. */
  questions: { id: number; choiceOrder: string[] }[];
};

/**
 * The attempt and its drawn questions together, or nothing (a second tab that took the same
 * attempt number first makes the insert fail on the unique (enrolment, number)).
 */
export async function createAttempt(attempt: NewAttempt): Promise<number> {
  const { enrollmentId, versionId, number, startedAt, deadlineAt, questions } = attempt;
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ id: number | bigint }[]>`
      INSERT INTO "QuizAttempt" ("enrollmentId", "versionId", "number", "status", "questionCount", "startedAt", "deadlineAt")
      VALUES (${enrollmentId}, ${versionId}, ${number}, 'open', ${questions.length}, ${startedAt}, ${deadlineAt})
      RETURNING "id"`;
    const id = Number(row.id);
    if (questions.length) {
      const values = questions.map((q, i) => Prisma.sql`(${id}, ${i + 1}, ${q.id}, ${JSON.stringify(q.choiceOrder)})`);
      await tx.$executeRaw`INSERT INTO "AttemptQuestion" ("attemptId", "position", "questionId", "choiceOrder") VALUES ${Prisma.join(values)}`;
    }
    return id;
  }, TX);
}

type SheetRow = {
  status: string;
  deadlineAt: Date | string | number | null;
  saveSeq: number | bigint;
  questionId: number | bigint | null;
  position: number | bigint | null;
  choiceOrder: string | null;
  answer: string | null;
  type: string | null;
  prompt: string | null;
  choices: string | null;
  image: string | null;
  imageAlt: string | null;
};

export type AnswerSheet = {
  status: string;
  deadlineAt: Date | null;
  saveSeq: number;
  /** `choices` is the bank's JSON, key included: server only (attemptForLearner strips it). */
  questions: { id: number; position: number; choiceOrder: string; answer: string | null; type: string; prompt: string; choices: string; image: string | null; imageAlt: string }[];
};

/**
 * The learner's attempt with its questions in order (one row each), or null if it is not
 * theirs: the one read behind the quiz page, saving and submitting.
 */
export async function answerSheet(attemptId: number, enrollmentId: number): Promise<AnswerSheet | null> {
  const rows = await readRows<SheetRow>`
    SELECT a."status", a."deadlineAt", a."saveSeq", q."id" AS "questionId", q."position", q."choiceOrder", q."answer", v."type", v."prompt", v."choices", v."image", v."imageAlt"
    FROM "QuizAttempt" a
    LEFT JOIN "AttemptQuestion" q ON q."attemptId" = a."id"
    LEFT JOIN "VersionQuestion" v ON v."id" = q."questionId"
    WHERE a."id" = ${attemptId} AND a."enrollmentId" = ${enrollmentId}
    ORDER BY q."position"`;
  const first = rows[0];
  if (!first) return null;
  return {
    status: first.status,
    deadlineAt: first.deadlineAt === null ? null : new Date(first.deadlineAt),
    saveSeq: Number(first.saveSeq),
    questions: rows
      .filter((r) => r.questionId !== null)
      .map((r) => ({
        id: Number(r.questionId),
        position: Number(r.position),
        choiceOrder: r.choiceOrder!,
        answer: r.answer,
        type: r.type!,
        prompt: r.prompt!,
        choices: r.choices!,
        image: r.image,
        imageAlt: r.imageAlt ?? "",
      })),
  };
}

/** One attempt question's answer to write: its id and the chosen ids as sorted JSON. */
export type AnswerRow = { id: number; answer: string };

/** All the answers in one statement. */
async function writeAnswers(tx: Tx, attemptId: number, rows: AnswerRow[]): Promise<void> {
  if (!rows.length) return;
  const cases = Prisma.join(
    rows.map((r) => Prisma.sql`WHEN ${r.id} THEN ${r.answer}`),
    " ",
  );
  await tx.$executeRaw`
    UPDATE "AttemptQuestion" SET "answer" = CASE "id" ${cases} END
    WHERE "attemptId" = ${attemptId} AND "id" IN (${Prisma.join(rows.map((r) => r.id))})`;
}

/**
 * Writes the answers if the attempt is still open and `seq` is newer than every save taken so
 * far ("saved"); "closed" when it was closed first, "stale" when a newer save came before (a
 * replayed or late request must not overwrite newer answers). Without `seq` (a form posted by
 * a client that numbers nothing) the order is not checked.
 */
export async function saveAnswersIfOpen(attemptId: number, rows: AnswerRow[], seq: number | null): Promise<"saved" | "closed" | "stale"> {
  return db.$transaction(async (tx) => {
    // Only while the attempt is still open: a submit that raced ahead wins. A write, not a
    // read, so that on PostgreSQL it waits for a grading transaction holding the attempt's row
    // and then sees it closed, rather than slipping answers in under a score.
    const still =
      seq === null
        ? await tx.$executeRaw`UPDATE "QuizAttempt" SET "status" = 'open' WHERE "id" = ${attemptId} AND "status" = 'open'`
        : await tx.$executeRaw`UPDATE "QuizAttempt" SET "saveSeq" = ${seq} WHERE "id" = ${attemptId} AND "status" = 'open' AND "saveSeq" < ${seq}`;
    if (!still) {
      const [attempt] = await tx.$queryRaw<{ status: string }[]>`SELECT "status" FROM "QuizAttempt" WHERE "id" = ${attemptId}`;
      return attempt?.status === "open" ? "stale" : "closed";
    }
    await writeAnswers(tx, attemptId, rows);
    return "saved";
  }, TX);
}

type GradingRow = { questionCount: number | bigint; passingScore: number | bigint; id: number | bigint | null; answer: string | null; choices: string | null };

export type Grade = { score: number; passed: boolean; correctCount: number; questionCount: number };

/**
 * Closes the attempt and grades it on its saved answers, overwritten by `submitted`; null when
 * it was not open. Only the call whose conditional update moves the attempt from open to
 * submitted grades it.
 */
export async function gradeOpenAttempt(attemptId: number, submitted: AnswerRow[]): Promise<Grade | null> {
  return db.$transaction(async (tx) => {
    // Close first, then write the submitted sheet and read the answers in the same transaction:
    // an autosave either committed before (and the sheet overrides it) or finds the attempt
    // closed (saveAnswersIfOpen locks the same row), so the grade is always on what was submitted.
    const closed = await tx.$executeRaw`
      UPDATE "QuizAttempt" SET "status" = 'submitted', "submittedAt" = ${new Date()}
      WHERE "id" = ${attemptId} AND "status" = 'open'`;
    if (closed !== 1) return null;
    await writeAnswers(tx, attemptId, submitted);
    const rows = await tx.$queryRaw<GradingRow[]>`
      SELECT a."questionCount", v."passingScore", q."id", q."answer", vq."choices"
      FROM "QuizAttempt" a
      JOIN "CourseVersion" v ON v."id" = a."versionId"
      LEFT JOIN "AttemptQuestion" q ON q."attemptId" = a."id"
      LEFT JOIN "VersionQuestion" vq ON vq."id" = q."questionId"
      WHERE a."id" = ${attemptId}`;
    const questionCount = Number(rows[0].questionCount);
    const marks = rows
      .filter((q) => q.id !== null)
      .map((q) => {
        const key = (JSON.parse(q.choices!) as Choice[]).filter((c) => c.correct).map((c) => c.id).sort();
        const given = q.answer ? (JSON.parse(q.answer) as string[]).sort() : [];
        return { id: Number(q.id), correct: key.length === given.length && key.every((id, i) => id === given[i]) };
      });
    const correctCount = marks.filter((m) => m.correct).length;
    const score = questionCount ? Math.round((100 * correctCount) / questionCount) : 0;
    const passed = score >= Number(rows[0].passingScore);
    await tx.$executeRaw`
      UPDATE "QuizAttempt" SET "score" = ${score}, "passed" = ${passed}, "correctCount" = ${correctCount} WHERE "id" = ${attemptId}`;
    if (marks.length) {
      const right = marks.filter((m) => m.correct).map((m) => m.id);
      // Every question of the attempt is marked, each true or false, in one statement.
      const isRight = right.length ? Prisma.sql`CASE WHEN "id" IN (${Prisma.join(right)}) THEN TRUE ELSE FALSE END` : Prisma.sql`FALSE`;
      await tx.$executeRaw`UPDATE "AttemptQuestion" SET "correct" = ${isRight} WHERE "attemptId" = ${attemptId}`;
    }
    return { score, passed, correctCount, questionCount };
  }, TX);
}

/** The grade recorded for an attempt. */
export async function recordedGrade(attemptId: number): Promise<Grade> {
  const recorded = await db.quizAttempt.findUniqueOrThrow({ where: { id: attemptId }, select: { score: true, passed: true, correctCount: true, questionCount: true } });
  return { score: recorded.score ?? 0, passed: !!recorded.passed, correctCount: recorded.correctCount ?? 0, questionCount: recorded.questionCount };
}

/** A submitted attempt of the enrolment with its questions in order, key and explanations included. */
export function submittedAttempt(attemptId: number, enrollmentId: number) {
  return db.quizAttempt.findFirst({
    where: { id: attemptId, enrollmentId, status: "submitted" },
    select: {
      id: true,
      number: true,
      score: true,
      passed: true,
      correctCount: true,
      questionCount: true,
      submittedAt: true,
      version: { select: { reviewPolicy: true, passingScore: true } },
      questions: {
        orderBy: { position: "asc" },
        select: { position: true, answer: true, correct: true, choiceOrder: true, question: { select: { prompt: true, choices: true, explanation: true, type: true, image: true, imageAlt: true } } },
      },
    },
  });
}

/** An attempt of one of this person's enrolments, with what deciding a corrected grade needs. */
export function attemptOfLearner(attemptId: number, userId: number) {
  return db.quizAttempt.findFirst({
    where: { id: attemptId, enrollment: { userId } },
    select: {
      id: true,
      status: true,
      score: true,
      passed: true,
      gradedScore: true,
      enrollmentId: true,
      enrollment: { select: { completedAt: true, course: { select: { slug: true } } } },
      version: { select: { passingScore: true } },
    },
  });
}

/**
 * Sets a submitted attempt's score as HR corrected it, keeping the computed one. Conditional on
 * the grade HR saw (`attempt.score`), so two officers correcting at once cannot both apply:
 * false for the second.
 */
export async function overrideScore(
  attempt: { id: number; score: number | null; gradedScore: number | null },
  override: { score: number; passed: boolean; overriddenById: number; overrideReason: string },
): Promise<boolean> {
  const changed = await db.quizAttempt.updateMany({
    where: { id: attempt.id, status: "submitted", score: attempt.score },
    data: {
      score: override.score,
      passed: override.passed,
      gradedScore: attempt.gradedScore ?? attempt.score,
      overriddenById: override.overriddenById,
      overriddenAt: new Date(),
      overrideReason: override.overrideReason,
    },
  });
  return changed.count === 1;
}
