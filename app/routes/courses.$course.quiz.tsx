import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useSearchParams, type ShouldRevalidateFunction } from "@remix-run/react";
import { useRef } from "react";
import { requireLearnerCourse } from "~/learning/course-access.server";
import { completionPending, recordCompletionIfDone } from "~/learning/learning.server";
import {
  answersFromForm,
  attemptForLearner,
  attemptReview,
  attemptSummary,
  openAttempt,
  QuizRefusal,
  refuseQuiz,
  saveAnswers,
  startAttempt,
  submitAttempt,
  type QuizError,
} from "~/learning/quiz.server";
import { clientIp, field, positiveId } from "~/platform/request.server";
import { pageTitle, useFormat, useLang, useT } from "~/utils/i18n";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "quiz.pageTitle");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ip = clientIp(context);
  const { user, course, enrollment } = await requireLearnerCourse(request, params.course, ip);
  const v = course.version;
  const info = {
    slug: course.slug,
    title: v.title,
    titleEn: v.titleEn,
    quizSize: v.quizSize,
    passingScore: v.passingScore,
    maxAttempts: v.maxAttempts,
    timeLimitMinutes: v.timeLimitMinutes,
  };
  if (!enrollment) return { course: info, enrolled: false as const };
  const ctx = { userId: user.id, ip };
  if (completionPending(course, enrollment)) await recordCompletionIfDone(enrollment.id, course, ctx);
  const open = await openAttempt(enrollment.id, course, ctx);
  const attempt = open ? await attemptForLearner(open.id, enrollment.id) : null;
  const history = await attemptSummary(enrollment.id);
  const reviewId = positiveId(new URL(request.url).searchParams.get("attempt"));
  const review = !attempt && reviewId ? await attemptReview(reviewId, enrollment.id) : null;
  const totalLessons = v.lessons.length;
  const doneLessons = v.lessons.filter((l) => enrollment.completedLessonIds.includes(l.lessonId)).length;
  return {
    course: info,
    enrolled: true as const,
    attempt,
    review,
    history,
    attemptsLeft: v.maxAttempts > 0 ? Math.max(0, v.maxAttempts - history.length) : null,
    completedAt: enrollment.completedAt,
    lessonsRemaining: totalLessons - doneLessons,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ip = clientIp(context);
  const { user, course, enrollment } = await requireLearnerCourse(request, params.course, ip);
  const ctx = { userId: user.id, ip };
  const form = await request.formData();
  const intent = field(form, "intent");
  try {
    if (!enrollment) return await refuseQuiz(ctx, "notEnrolled", { course: course.slug });
    if (intent === "start") {
      await startAttempt(enrollment.id, course, ctx);
      return redirect(`/courses/${course.slug}/quiz`);
    }
    if (intent !== "save" && intent !== "submit") return await refuseQuiz(ctx, "unknownIntent", { intent: intent.slice(0, 20) });
    const rawId = field(form, "attemptId", 40);
    if (!rawId) return await refuseQuiz(ctx, "missingAttempt", { intent });
    // An id no row can have (not a number, beyond 32 bits) is treated like another's attempt.
    const attemptId = positiveId(rawId);
    if (!attemptId) return await refuseQuiz(ctx, "notYourAttempt", { attemptId: rawId });
    const answers = answersFromForm(form);
    if (intent === "save") {
      await saveAnswers(attemptId, enrollment.id, answers, ctx);
      return data({ saved: true, error: null, minutes: 0, attemptId: null });
    }
    await submitAttempt(attemptId, enrollment.id, course, answers, ctx);
    return redirect(`/courses/${course.slug}/quiz?attempt=${attemptId}`);
  } catch (e) {
    if (e instanceof QuizRefusal) {
      return data({ saved: false, error: e.code, minutes: e.minutes, attemptId: e.attemptId }, { status: REFUSAL_STATUS[e.code] ?? 409 });
    }
    throw e;
  }
}

// Another person's attempt answers 404, like all data outside one's own (the message does not
// say whether the id exists).
/**
 * A refusal usually means this page is out of date (an attempt opened in another tab, closed by
 * the clock): read the page's data again, as a page without JavaScript does, so the message and
 * what is shown agree. Remix skips that after a 4xx answer by default.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  (actionResult as { error?: string | null } | undefined)?.error ? true : defaultShouldRevalidate;

const REFUSAL_STATUS: Partial<Record<QuizError, number>> = { notEnrolled: 403, unknownIntent: 400, missingAttempt: 400, notYourAttempt: 404 };

function AttemptForm({ attempt }: { attempt: NonNullable<Extract<ReturnType<typeof useLoaderData<typeof loader>>, { enrolled: true }>["attempt"]> }) {
  const t = useT();
  const fmt = useFormat();
  const fetcher = useFetcher<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);
  // With JavaScript, every change is saved at once; without it, the save button does the same.
  const autosave = () => {
    if (!formRef.current) return;
    const body = new FormData(formRef.current);
    body.set("intent", "save");
    fetcher.submit(body, { method: "post" });
  };
  return (
    <Form method="post" ref={formRef} onChange={autosave} id="attempt" className="space-y-6">
      <input type="hidden" name="attemptId" value={attempt.id} />
      {attempt.deadlineAt ? <p className="font-semibold">{t("quiz.deadline", { time: fmt.dateTime(attempt.deadlineAt) })}</p> : null}
      <ol className="space-y-6">
        {attempt.questions.map((q) => (
          <li key={q.position} className="card">
            <fieldset>
              <legend className="font-semibold">
                <span className="block text-sm font-normal text-slate-600">
                  {t("quiz.questionN", { n: q.position })} · {q.type === "multiple" ? t("quiz.chooseMany") : t("quiz.chooseOne")}
                </span>
                {q.prompt}
              </legend>
              <div className="mt-3 space-y-2">
                {q.choices.map((c) => (
                  <label key={c.id} className="flex cursor-pointer items-start gap-3 rounded border border-slate-200 p-3 hover:bg-brand-50">
                    <input
                      type={q.type === "multiple" ? "checkbox" : "radio"}
                      name={`q${q.position}`}
                      value={c.id}
                      defaultChecked={q.answer.includes(c.id)}
                      className="mt-1 h-4 w-4 shrink-0"
                    />
                    <span>{c.text}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" name="intent" value="save" className="btn-secondary">
          {t("quiz.save")}
        </button>
        <button type="submit" name="intent" value="submit" className="btn" onClick={(e) => { if (!window.confirm(t("quiz.confirmSubmit"))) e.preventDefault(); }}>
          {t("quiz.submit")}
        </button>
        <span role="status" className="text-sm text-slate-600">
          {fetcher.data?.error ? t(`quiz.errors.${fetcher.data.error}`, { minutes: fetcher.data.minutes }) : fetcher.data?.saved ? t("quiz.autosaved") : ""}
        </span>
      </div>
    </Form>
  );
}

export default function QuizPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const lang = useLang();
  const fmt = useFormat();
  const c = loaded.course;
  const courseTitle = lang === "en" && c.titleEn ? c.titleEn : c.title;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <Link to={`/courses/${c.slug}`}>← {courseTitle}</Link>
      </p>
      <h1 className="text-2xl font-bold text-brand-800">{t("quiz.title", { course: courseTitle })}</h1>
      {result?.error ? (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {t(`quiz.errors.${result.error}`, { minutes: result.minutes })}
          {result.error === "attemptOpen" && loaded.enrolled && loaded.attempt ? (
            <>
              {" "}
              <a href="#attempt">{t("quiz.resume")}</a>
            </>
          ) : result.error === "timeUp" && result.attemptId ? (
            <>
              {" "}
              <Link to={`?attempt=${result.attemptId}`}>{t("quiz.viewResult")}</Link>
            </>
          ) : null}
        </p>
      ) : null}
      {result?.saved ? (
        <p role="status" className="rounded border border-green-300 bg-green-50 p-3 text-sm text-green-900">
          {t("quiz.saved")}
        </p>
      ) : null}
      {!loaded.enrolled ? (
        <div className="card space-y-3">
          <p>{t("quiz.enrollFirst")}</p>
          <Link to={`/courses/${c.slug}`} className="btn">
            {t("lesson.backToCourse")}
          </Link>
        </div>
      ) : loaded.attempt ? (
        <AttemptForm attempt={loaded.attempt} />
      ) : (
        <>
          {loaded.review ? (
            <section className="card space-y-3" aria-labelledby="result-heading">
              <h2 id="result-heading" className="text-xl font-semibold">
                {t("quiz.resultTitle", { n: loaded.review.number })}
              </h2>
              <p className="text-lg">{t("quiz.score", { score: loaded.review.score, correct: loaded.review.correctCount, total: loaded.review.questionCount })}</p>
              <p role="status" className={loaded.review.passed ? "font-semibold text-green-800" : "font-semibold text-red-800"}>
                {loaded.review.passed ? t("quiz.passed") : t("quiz.failed", { score: loaded.review.passingScore })}
              </p>
              {loaded.review.passed ? <p>{loaded.completedAt ? t("quiz.courseCompleted") : loaded.lessonsRemaining > 0 ? t("quiz.lessonsRemaining") : null}</p> : null}
              {loaded.review.questions.length ? (
                <ol className="mt-4 space-y-4">
                  {loaded.review.questions.map((q) => (
                    <li key={q.position} className={`rounded border p-3 ${q.correct ? "border-green-300 bg-green-50" : "border-red-300 bg-red-50"}`}>
                      <p className="font-semibold">
                        {t("quiz.questionN", { n: q.position })} — {q.correct ? t("quiz.right") : t("quiz.wrong")}
                      </p>
                      <p className="mt-1">{q.prompt}</p>
                      <ul className="mt-2 space-y-1 text-sm">
                        {q.choices.map((ch) => (
                          <li key={ch.id}>
                            {ch.isAnswer ? "✓ " : ch.chosen ? "✗ " : "· "}
                            {ch.text}
                            {ch.chosen ? ` (${t("quiz.yourAnswer")})` : ""}
                            {ch.isAnswer ? ` (${t("quiz.correctAnswer")})` : ""}
                          </li>
                        ))}
                      </ul>
                      {q.explanation ? (
                        <p className="mt-2 text-sm">
                          <strong>{t("quiz.explanation")}:</strong> {q.explanation}
                        </p>
                      ) : null}
                    </li>
                  ))}
                </ol>
              ) : null}
            </section>
          ) : null}
          <section className="card space-y-2">
            <p>{t("quiz.intro", { count: c.quizSize, score: c.passingScore })}</p>
            {c.timeLimitMinutes ? <p>{t("quiz.timeLimit", { minutes: c.timeLimitMinutes })}</p> : null}
            <p>{loaded.attemptsLeft === null ? t("quiz.unlimited") : t("quiz.attemptsLeft", { count: loaded.attemptsLeft })}</p>
            {loaded.completedAt ? (
              <p className="font-semibold text-green-800">{t("quiz.courseCompleted")}</p>
            ) : loaded.attemptsLeft !== 0 ? (
              <Form method="post">
                <input type="hidden" name="intent" value="start" />
                <button type="submit" className="btn">
                  {t("quiz.start")}
                </button>
              </Form>
            ) : null}
          </section>
          {loaded.history.length ? (
            <section aria-labelledby="history-heading">
              <h2 id="history-heading" className="text-lg font-semibold">
                {t("quiz.history")}
              </h2>
              <ul className="mt-2 space-y-1">
                {loaded.history.map((h) => (
                  <li key={h.id}>
                    <Link to={`?attempt=${h.id}`} aria-current={params.get("attempt") === String(h.id) ? "page" : undefined}>
                      {t("quiz.attemptRow", { n: h.number, score: h.score ?? 0 })}
                    </Link>
                    {h.submittedAt ? <span className="text-sm text-slate-600"> · {fmt.dateTime(h.submittedAt)}</span> : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      )}
    </div>
  );
}
