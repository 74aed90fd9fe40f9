// Quiz attempts: drawing, saving answers as the learner goes, and grading exactly once on the
// server. Correct answers never leave this module before an attempt is submitted.
import crypto from "node:crypto";
import { getPublishedCourse, type PublishedCourse } from "~/content/catalog.data.server";
import { BoundedCache } from "~/utils/bounded-cache";
import type { Choice } from "~/utils/course";
import { audit } from "~/platform/audit.server";
import {
  answerSheet,
  attemptsOf,
  createAttempt,
  gradeOpenAttempt,
  openAttemptOf,
  openAttemptsDueBefore,
  questionChoices,
  recordedGrade,
  saveAnswersIfOpen,
  submittedAttempt,
  type AnswerRow,
  type AnswerSheet,
} from "~/learning/attempts.data.server";
import { recordCompletionIfDone } from "~/learning/learning.server";

/** Seconds of network grace after a time limit, so an answer sent at the last second counts. */
const DEADLINE_GRACE_MS = 15_000;

export type QuizError =
  | "noAttemptsLeft"
  | "waitBeforeRetry"
  | "attemptOpen"
  | "attemptClosed"
  | "staleSave"
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
  const attempt = await openAttemptOf(enrollmentId);
  if (!attempt) return null;
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
  const expired = await openAttemptsDueBefore(new Date(now.getTime() - DEADLINE_GRACE_MS));
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

// A published version never changes, so its question bank (ids and choice ids, not the key) is
// read once per process. Bounded: old versions drop out first.
const banks = new BoundedCache<number, { id: number; choiceIds: string[] }[]>({ maxEntries: 200 });

async function questionBank(versionId: number) {
  let bank = banks.get(versionId);
  if (!bank) {
    bank = await questionChoices(versionId);
    banks.set(versionId, bank);
  }
  return bank;
}

/** Starts a new attempt; one still open is refused, never silently reused or replaced. */
export async function startAttempt(
  enrollment: { id: number; extraAttempts?: number; extraMinutes?: number },
  course: PublishedCourse,
  ctx: Ctx,
): Promise<number> {
  const enrollmentId = enrollment.id;
  const open = await openAttempt(enrollmentId, course, ctx);
  if (open) await refuseQuiz(ctx, "attemptOpen", { enrollmentId, attemptId: open.id }, { attemptId: open.id });
  const v = course.version;
  const previous = await attemptsOf(enrollmentId);
  if (v.maxAttempts > 0 && previous.length >= v.maxAttempts + (enrollment.extraAttempts ?? 0)) await refuseQuiz(ctx, "noAttemptsLeft", { enrollmentId });
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
    const attemptId = await createAttempt({
      enrollmentId,
      versionId: v.id,
      number,
      startedAt: now,
      deadlineAt: v.timeLimitMinutes > 0 ? new Date(now.getTime() + (v.timeLimitMinutes + (enrollment.extraMinutes ?? 0)) * 60_000) : null,
      questions: drawn.map((q) => ({ id: q.id, choiceOrder: shuffle(q.choiceIds) })),
    });
    await audit({ action: "quiz.start", actorId: ctx.userId, targetType: "attempt", targetId: attemptId, ip: ctx.ip, detail: { course: course.slug } });
    return attemptId;
  } catch (e) {
    // Another tab started the same attempt number first: that one is the open attempt.
    const other = await openAttempt(enrollmentId, course, ctx);
    if (other) await refuseQuiz(ctx, "attemptOpen", { enrollmentId, attemptId: other.id }, { attemptId: other.id });
    throw e;
  }
}

/** The attempt as the learner sees it: prompts and choice texts in their order, never the key. */
export async function attemptForLearner(attemptId: number, enrollmentId: number) {
  const sheet = await answerSheet(attemptId, enrollmentId);
  if (!sheet) return null;
  return {
    id: attemptId,
    status: sheet.status,
    deadlineAt: sheet.deadlineAt,
    saveSeq: sheet.saveSeq,
    questions: sheet.questions.map((q) => {
      const choices = JSON.parse(q.choices) as Choice[];
      const order = JSON.parse(q.choiceOrder) as string[];
      return {
        position: q.position,
        type: q.type,
        prompt: q.prompt,
        image: q.image ? { name: q.image, alt: q.imageAlt } : null,
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
  // Each question on the page sends its position as "asked": a question whose last tick was
  // cleared sends no q<n> field at all, and must be saved as empty, not left as it was.
  for (const value of form.getAll("asked")) {
    const position = typeof value === "string" && /^\d{1,3}$/.test(value) ? Number(value) : null;
    if (position !== null) answers.set(position, []);
  }
  for (const [key, value] of form.entries()) {
    const m = /^q(\d{1,3})$/.exec(key);
    if (!m || typeof value !== "string") continue;
    const position = Number(m[1]);
    answers.set(position, [...(answers.get(position) ?? []), value.slice(0, 40)]);
  }
  return answers;
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

/** Saves answers to an open attempt; anything not in the attempt is refused and changes nothing. */
export async function saveAnswers(attemptId: number, enrollmentId: number, answers: Answers, seq: number | null, ctx: Ctx): Promise<void> {
  const sheet = await answerSheet(attemptId, enrollmentId);
  if (!sheet) return refuseQuiz(ctx, "notYourAttempt", { attemptId });
  if (sheet.status !== "open" || timeIsUp(sheet.deadlineAt)) return refuseQuiz(ctx, "attemptClosed", { attemptId });
  const updates = await answerRows(attemptId, sheet, answers, ctx);
  if (!updates.length) return;
  // Only while the attempt is still open: a submit that raced ahead wins.
  const saved = await saveAnswersIfOpen(attemptId, updates, seq);
  if (saved === "closed") await refuseQuiz(ctx, "attemptClosed", { attemptId });
  if (saved === "stale") await refuseQuiz(ctx, "staleSave", { attemptId, seq });
}

export type GradeResult = { score: number; passed: boolean; correctCount: number; questionCount: number; alreadySubmitted: boolean };

/**
 * Closes the attempt and grades it on its saved answers, overwritten by `submitted` (the answer
 * sheet sent with a submit). Only the request whose conditional update moves the attempt from
 * open to submitted grades it; any other gets the recorded result.
 */
export async function gradeAttempt(attemptId: number, ctx: Ctx, submitted: AnswerRow[] = []): Promise<GradeResult> {
  const graded = await gradeOpenAttempt(attemptId, submitted);
  if (!graded) return { ...(await recordedGrade(attemptId)), alreadySubmitted: true };
  await audit({ action: "quiz.submit", actorId: ctx.userId, targetType: "attempt", targetId: attemptId, ip: ctx.ip, detail: { score: graded.score, passed: graded.passed } });
  return { ...graded, alreadySubmitted: false };
}

/**
 * Submits the learner's attempt with the answers sent along. A replayed or second submit finds
 * it closed and gets the recorded result; answers sent after the time limit are refused (the
 * attempt is graded on what was saved in time).
 */
export async function submitAttempt(
  attemptId: number,
  enrollmentId: number,
  course: PublishedCourse,
  answers: Answers,
  ctx: Ctx,
  { blankConfirmed = true }: { blankConfirmed?: boolean } = {},
): Promise<{ unanswered: number[] } | void> {
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
  // A blank question counts as wrong: unless the learner has said so, the answers are kept and
  // the attempt stays open, and the page names the questions left blank.
  const unanswered = sheet.questions.filter((q) => isBlank(rows.find((r) => r.id === q.id)?.answer ?? q.answer)).map((q) => q.position);
  if (unanswered.length > 0 && !blankConfirmed) {
    if (rows.length > 0 && (await saveAnswersIfOpen(attemptId, rows, null)) === "closed") return;
    return { unanswered };
  }
  await closeAttempt(attemptId, enrollmentId, course, ctx, rows);
}

const isBlank = (answer: string | null) => !answer || answer === "[]";

/**
 * The review of a submitted attempt, as much as the course's policy shows. Under "guarded" the
 * right choices stay hidden while the learner may still try again without having passed.
 */
export async function attemptReview(attemptId: number, enrollmentId: number, { mayRetry }: { mayRetry: boolean }) {
  const attempt = await submittedAttempt(attemptId, enrollmentId);
  if (!attempt) return null;
  const policy = attempt.version.reviewPolicy;
  const explain = policy === "explain" || policy === "guarded";
  const revealAnswers = policy === "explain" || !mayRetry;
  return {
    id: attempt.id,
    number: attempt.number,
    score: attempt.score ?? 0,
    passed: !!attempt.passed,
    correctCount: attempt.correctCount ?? 0,
    questionCount: attempt.questionCount,
    passingScore: attempt.version.passingScore,
    submittedAt: attempt.submittedAt,
    answersHidden: explain && !revealAnswers,
    questions: explain
      ? attempt.questions.map((q) => {
          const choices = JSON.parse(q.question.choices) as Choice[];
          const order = JSON.parse(q.choiceOrder) as string[];
          const given = q.answer ? (JSON.parse(q.answer) as string[]) : [];
          return {
            position: q.position,
            prompt: q.question.prompt,
            image: q.question.image ? { name: q.question.image, alt: q.question.imageAlt } : null,
            correct: !!q.correct,
            explanation: q.question.explanation,
            choices: order.map((id) => {
              const c = choices.find((x) => x.id === id)!;
              return { id, text: c.text, isAnswer: revealAnswers && c.correct, chosen: given.includes(id) };
            }),
          };
        })
      : [],
  };
}
