// Quiz attempts: drawing, saving answers as the learner goes, and grading exactly once on the
// server. Correct answers never leave this module before an attempt is submitted.
import crypto from "node:crypto";
import { Prisma } from "~/generated/sqlite/client";
import { getPublishedCourse, type PublishedCourse } from "~/content/catalog.data.server";
import type { Choice } from "~/utils/course";
import { audit } from "~/platform/audit.server";
import { db, readRows, type Tx } from "~/platform/db.server";
import { recordCompletionIfDone } from "~/learning/learning.server";

/** Short transactions, but willing to queue behind others in a burst rather than fail. */
const TX = { maxWait: 30_000, timeout: 30_000 };

/** Seconds of network grace after a time limit, so an answer sent at the last second counts. */
const DEADLINE_GRACE_MS = 15_000;

export type QuizError =
  | "noAttemptsLeft"
  | "waitBeforeRetry"
  | "attemptOpen"
  | "attemptClosed"
  | "timeUp"
  | "notInAttempt"
  | "notYourAttempt"
  | "missingAttempt"
  | "unknownIntent"
  | "badChoice"
  | "notEnrolled";

export class QuizRefusal extends Error {
  constructor(
    public readonly code: QuizError,
    public readonly minutes = 0,
    /** The attempt the learner can turn to: the open one to continue, or the graded one. */
    public readonly attemptId: number | null = null,
  ) {
    super(code);
  }
}

function shuffle<T>(list: T[]): T[] {
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

type Ctx = { userId: number; ip: string };

/** Refuses a quiz request: the refusal is in the audit log before the learner hears of it. */
export async function refuseQuiz(
  ctx: Ctx,
  code: QuizError,
  detail: Record<string, unknown>,
  { minutes = 0, attemptId = null }: { minutes?: number; attemptId?: number | null } = {},
): Promise<never> {
  await audit({ action: "quiz.refused", outcome: "denied", actorId: ctx.userId, ip: ctx.ip, detail: { code, ...detail } });
  throw new QuizRefusal(code, minutes, attemptId);
}

function timeIsUp(deadlineAt: Date | null): boolean {
  return !!deadlineAt && Date.now() > deadlineAt.getTime() + DEADLINE_GRACE_MS;
}

/**
 * Grades an attempt and, when that completes the course, records the completion and hands off
 * to the certificate service: the same for a submitted attempt and one closed by the clock.
 */
async function closeAttempt(attemptId: number, enrollmentId: number, course: PublishedCourse, ctx: Ctx, submitted: AnswerRow[] = []): Promise<GradeResult> {
  const result = await gradeAttempt(attemptId, ctx, submitted);
  await recordCompletionIfDone(enrollmentId, course, ctx);
  return result;
}

/** The learner's open attempt, closing it first if its time ran out. */
export async function openAttempt(enrollmentId: number, course: PublishedCourse, ctx: Ctx) {
  // Hand-written, like the other reads of the quiz page: the ORM would compile it every time.
  const rows = await readRows<{ id: number | bigint; deadlineAt: Date | string | number | null }>`
    SELECT "id", "deadlineAt" FROM "QuizAttempt" WHERE "enrollmentId" = ${enrollmentId} AND "status" = 'open' LIMIT 1`;
  const row = rows[0];
  if (!row) return null;
  const attempt = { id: Number(row.id), deadlineAt: row.deadlineAt === null ? null : new Date(row.deadlineAt) };
  if (timeIsUp(attempt.deadlineAt)) {
    await closeAttempt(attempt.id, enrollmentId, course, ctx);
    return null;
  }
  return attempt;
}

/**
 * Closes every attempt whose time ran out while nobody came back to it, so a learner who
 * passed by the clock is completed (and certified) even if they never open the quiz again.
 */
export async function closeExpiredAttempts(now = new Date()): Promise<number> {
  const expired = await db.quizAttempt.findMany({
    where: { status: "open", deadlineAt: { lt: new Date(now.getTime() - DEADLINE_GRACE_MS) } },
    select: { id: true, enrollmentId: true, enrollment: { select: { userId: true, course: { select: { slug: true } } } } },
    orderBy: { id: "asc" },
    take: 1000,
  });
  const courses = new Map<string, PublishedCourse | null>();
  let closed = 0;
  for (const a of expired) {
    const slug = a.enrollment.course.slug;
    if (!courses.has(slug)) courses.set(slug, await getPublishedCourse(slug));
    const course = courses.get(slug);
    const ctx = { userId: a.enrollment.userId, ip: "scheduled" };
    try {
      // A course withdrawn from publication still gets its attempts graded; completion needs
      // the published lessons, so it waits for the course to come back.
      if (course) await closeAttempt(a.id, a.enrollmentId, course, ctx);
      else await gradeAttempt(a.id, ctx);
      closed++;
    } catch (error) {
      // One attempt that cannot be closed must not hold up the others (or the other jobs).
      console.error(`[kns:jobs] could not close attempt ${a.id}`, error);
    }
  }
  return closed;
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

// A published version never changes, so its question bank (ids and choice ids, not the key) is
// read once per process. Bounded: old versions drop out first.
const banks = new Map<number, { id: number; choiceIds: string[] }[]>();

async function questionBank(versionId: number) {
  let bank = banks.get(versionId);
  if (!bank) {
    const rows = await readRows<{ id: number | bigint; choices: string }>`
      SELECT "id", "choices" FROM "VersionQuestion" WHERE "versionId" = ${versionId} ORDER BY "id"`;
    bank = rows.map((r) => ({ id: Number(r.id), choiceIds: (JSON.parse(r.choices) as Choice[]).map((c) => c.id) }));
    if (banks.size >= 200) banks.delete(banks.keys().next().value!);
    banks.set(versionId, bank);
  }
  return bank;
}

/** Starts a new attempt; one still open is refused, never silently reused or replaced. */
export async function startAttempt(enrollmentId: number, course: PublishedCourse, ctx: Ctx): Promise<number> {
  const open = await openAttempt(enrollmentId, course, ctx);
  if (open) await refuseQuiz(ctx, "attemptOpen", { enrollmentId, attemptId: open.id }, { attemptId: open.id });
  const v = course.version;
  const previous = await readRows<{ number: number | bigint; submittedAt: Date | string | number | null }>`
    SELECT "number", "submittedAt" FROM "QuizAttempt" WHERE "enrollmentId" = ${enrollmentId} ORDER BY "number" DESC`;
  if (v.maxAttempts > 0 && previous.length >= v.maxAttempts) await refuseQuiz(ctx, "noAttemptsLeft", { enrollmentId });
  const last = previous[0];
  if (last?.submittedAt && v.retryWaitMinutes > 0) {
    const wait = new Date(last.submittedAt).getTime() + v.retryWaitMinutes * 60_000 - Date.now();
    if (wait > 0) await refuseQuiz(ctx, "waitBeforeRetry", { enrollmentId }, { minutes: Math.ceil(wait / 60_000) });
  }
  const bank = await questionBank(v.id);
  const drawn = shuffle(bank).slice(0, Math.min(v.quizSize, bank.length));
  const now = new Date();
  const number = Number(last?.number ?? 0) + 1;
  try {
    // The attempt and its drawn questions together, or nothing (a second tab that took the same
    // attempt number first makes the insert fail on the unique (enrolment, number)).
    const attemptId = await db.$transaction(async (tx) => {
      const deadlineAt = v.timeLimitMinutes > 0 ? new Date(now.getTime() + v.timeLimitMinutes * 60_000) : null;
      const [row] = await tx.$queryRaw<{ id: number | bigint }[]>`
        INSERT INTO "QuizAttempt" ("enrollmentId", "versionId", "number", "status", "questionCount", "startedAt", "deadlineAt")
        VALUES (${enrollmentId}, ${v.id}, ${number}, 'open', ${drawn.length}, ${now}, ${deadlineAt})
        RETURNING "id"`;
      const id = Number(row.id);
      if (drawn.length) {
        const values = drawn.map((q, i) => Prisma.sql`(${id}, ${i + 1}, ${q.id}, ${JSON.stringify(shuffle([...q.choiceIds]))})`);
        await tx.$executeRaw`INSERT INTO "AttemptQuestion" ("attemptId", "position", "questionId", "choiceOrder") VALUES ${Prisma.join(values)}`;
      }
      return id;
    }, TX);
    await audit({ action: "quiz.start", actorId: ctx.userId, targetType: "attempt", targetId: attemptId, ip: ctx.ip, detail: { course: course.slug } });
    return attemptId;
  } catch (e) {
    // Another tab started the same attempt number first: that one is the open attempt.
    const other = await openAttempt(enrollmentId, course, ctx);
    if (other) await refuseQuiz(ctx, "attemptOpen", { enrollmentId, attemptId: other.id }, { attemptId: other.id });
    throw e;
  }
}

/** What the learner sees of an open attempt: prompts and choice texts only. */
/** The attempt as the learner sees it: prompts and choice texts in their order, never the key. */
export async function attemptForLearner(attemptId: number, enrollmentId: number) {
  const sheet = await answerSheet(attemptId, enrollmentId);
  if (!sheet) return null;
  return {
    id: attemptId,
    status: sheet.status,
    deadlineAt: sheet.deadlineAt,
    questions: sheet.questions.map((q) => {
      const choices = JSON.parse(q.choices) as Choice[];
      const order = JSON.parse(q.choiceOrder) as string[];
      return {
        position: q.position,
        type: q.type,
        prompt: q.prompt,
        choices: order.map((id) => ({ id, text: choices.find((c) => c.id === id)?.text ?? "" })),
        answer: q.answer ? (JSON.parse(q.answer) as string[]) : [],
      };
    }),
  };
}

export type Answers = Map<number, string[]>;

/** Reads answers from a form: fields named q<position> holding choice ids. */
export function answersFromForm(form: FormData): Answers {
  const answers: Answers = new Map();
  for (const [key, value] of form.entries()) {
    const m = /^q(\d{1,3})$/.exec(key);
    if (!m || typeof value !== "string") continue;
    const position = Number(m[1]);
    answers.set(position, [...(answers.get(position) ?? []), value.slice(0, 40)]);
  }
  return answers;
}

type AnswerRow = { id: number; answer: string };
type GradingRow = { questionCount: number | bigint; passingScore: number | bigint; id: number | bigint | null; answer: string | null; choices: string | null };

// The submit and save paths below are hand-written SQL: each ORM call costs a query compilation,
// which made up a third of a submission's CPU time. Numbers may come back as bigint, hence the
// Number() on them; booleans are written as parameters, which both databases store as the ORM does.

type SheetRow = {
  status: string;
  deadlineAt: Date | string | number | null;
  questionId: number | bigint | null;
  position: number | bigint | null;
  choiceOrder: string | null;
  answer: string | null;
  type: string | null;
  prompt: string | null;
  choices: string | null;
};

type AnswerSheet = {
  status: string;
  deadlineAt: Date | null;
  /** `choices` is the bank's JSON, key included: server only (attemptForLearner strips it). */
  questions: { id: number; position: number; choiceOrder: string; answer: string | null; type: string; prompt: string; choices: string }[];
};

/**
 * The learner's attempt with its questions in order (one row each), or null if it is not
 * theirs: the one read behind the quiz page, saving and submitting.
 */
async function answerSheet(attemptId: number, enrollmentId: number): Promise<AnswerSheet | null> {
  const rows = await readRows<SheetRow>`
    SELECT a."status", a."deadlineAt", q."id" AS "questionId", q."position", q."choiceOrder", q."answer", v."type", v."prompt", v."choices"
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
      })),
  };
}

/**
 * The attempt's rows to write for these answers, after checking every one against the attempt:
 * anything not in it is refused (and audited) before anything is written. Only the rows whose
 * answer changes, unless `all` (a submit states the whole answer sheet).
 */
async function answerRows(attemptId: number, sheet: AnswerSheet, answers: Answers, ctx: Ctx, all = false): Promise<AnswerRow[]> {
  const updates: AnswerRow[] = [];
  for (const [position, ids] of answers) {
    const q = sheet.questions.find((x) => x.position === position);
    if (!q) return refuseQuiz(ctx, "notInAttempt", { attemptId, position });
    const allowed = JSON.parse(q.choiceOrder) as string[];
    const unique = [...new Set(ids)];
    if (unique.some((id) => !allowed.includes(id)) || (q.type !== "multiple" && unique.length > 1)) {
      return refuseQuiz(ctx, "badChoice", { attemptId, position });
    }
    const answer = JSON.stringify(unique.sort());
    if (all || answer !== q.answer) updates.push({ id: q.id, answer });
  }
  return updates;
}

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

/** Saves answers to an open attempt; anything not in the attempt is refused and changes nothing. */
export async function saveAnswers(attemptId: number, enrollmentId: number, answers: Answers, ctx: Ctx): Promise<void> {
  const sheet = await answerSheet(attemptId, enrollmentId);
  if (!sheet) return refuseQuiz(ctx, "notYourAttempt", { attemptId });
  if (sheet.status !== "open" || timeIsUp(sheet.deadlineAt)) return refuseQuiz(ctx, "attemptClosed", { attemptId });
  const updates = await answerRows(attemptId, sheet, answers, ctx);
  if (!updates.length) return;
  const saved = await db.$transaction(async (tx) => {
    // Only while the attempt is still open: a submit that raced ahead wins. A write, not a
    // read, so that on PostgreSQL it waits for a grading transaction holding the attempt's row
    // and then sees it closed, rather than slipping answers in under a score.
    const still = await tx.$executeRaw`UPDATE "QuizAttempt" SET "status" = 'open' WHERE "id" = ${attemptId} AND "status" = 'open'`;
    if (!still) return false;
    await writeAnswers(tx, attemptId, updates);
    return true;
  }, TX);
  if (!saved) await refuseQuiz(ctx, "attemptClosed", { attemptId });
}

export type GradeResult = { score: number; passed: boolean; correctCount: number; questionCount: number; alreadySubmitted: boolean };

/**
 * Closes the attempt and grades it on its saved answers, overwritten by `submitted` (the answer
 * sheet sent with a submit). Only the request whose conditional update moves the attempt from
 * open to submitted grades it; any other gets the recorded result.
 */
export async function gradeAttempt(attemptId: number, ctx: Ctx, submitted: AnswerRow[] = []): Promise<GradeResult> {
  const graded = await db.$transaction(async (tx) => {
    // Close first, then write the submitted sheet and read the answers in the same transaction:
    // an autosave either committed before (and the sheet overrides it) or finds the attempt
    // closed (saveAnswers locks the same row), so the grade is always on what was submitted.
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
  if (!graded) {
    const recorded = await db.quizAttempt.findUniqueOrThrow({ where: { id: attemptId }, select: { score: true, passed: true, correctCount: true, questionCount: true } });
    return { score: recorded.score ?? 0, passed: !!recorded.passed, correctCount: recorded.correctCount ?? 0, questionCount: recorded.questionCount, alreadySubmitted: true };
  }
  await audit({ action: "quiz.submit", actorId: ctx.userId, targetType: "attempt", targetId: attemptId, ip: ctx.ip, detail: { score: graded.score, passed: graded.passed } });
  return { ...graded, alreadySubmitted: false };
}

/**
 * Submits the learner's attempt with the answers sent along. A replayed or second submit finds
 * it closed and gets the recorded result; answers sent after the time limit are refused (the
 * attempt is graded on what was saved in time).
 */
export async function submitAttempt(attemptId: number, enrollmentId: number, course: PublishedCourse, answers: Answers, ctx: Ctx): Promise<void> {
  const sheet = await answerSheet(attemptId, enrollmentId);
  if (!sheet) return refuseQuiz(ctx, "notYourAttempt", { attemptId });
  if (sheet.status !== "open") {
    // A replay. If the process died between grading and completion, this finishes the job
    // (recordCompletionIfDone is idempotent).
    await recordCompletionIfDone(enrollmentId, course, ctx);
    return;
  }
  if (timeIsUp(sheet.deadlineAt)) {
    await closeAttempt(attemptId, enrollmentId, course, ctx);
    return refuseQuiz(ctx, "timeUp", { attemptId }, { attemptId });
  }
  // Closed meanwhile by a second submit (double click, two tabs)? Grading finds it closed and
  // its grade stands.
  const rows = await answerRows(attemptId, sheet, answers, ctx, true);
  await closeAttempt(attemptId, enrollmentId, course, ctx, rows);
}

/** The review of a submitted attempt, as much as the course's policy shows. */
export async function attemptReview(attemptId: number, enrollmentId: number) {
  const attempt = await db.quizAttempt.findFirst({
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
        select: { position: true, answer: true, correct: true, choiceOrder: true, question: { select: { prompt: true, choices: true, explanation: true, type: true } } },
      },
    },
  });
  if (!attempt) return null;
  const explain = attempt.version.reviewPolicy === "explain";
  return {
    id: attempt.id,
    number: attempt.number,
    score: attempt.score ?? 0,
    passed: !!attempt.passed,
    correctCount: attempt.correctCount ?? 0,
    questionCount: attempt.questionCount,
    passingScore: attempt.version.passingScore,
    submittedAt: attempt.submittedAt,
    questions: explain
      ? attempt.questions.map((q) => {
          const choices = JSON.parse(q.question.choices) as Choice[];
          const order = JSON.parse(q.choiceOrder) as string[];
          const given = q.answer ? (JSON.parse(q.answer) as string[]) : [];
          return {
            position: q.position,
            prompt: q.question.prompt,
            correct: !!q.correct,
            explanation: q.question.explanation,
            choices: order.map((id) => {
              const c = choices.find((x) => x.id === id)!;
              return { id, text: c.text, isAnswer: c.correct, chosen: given.includes(id) };
            }),
          };
        })
      : [],
  };
}
