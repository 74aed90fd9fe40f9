import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { Notice } from "~/components/ui/Notice";
import { requireLearnerCourse } from "~/learning/course-access.server";
import { attemptSummary } from "~/learning/attempts.data.server";
import { completionPending, recordCompletionIfDone } from "~/learning/learning.server";
import {
  answersFromForm,
  attemptForLearner,
  attemptReview,
  openAttempt,
  QuizRefusal,
  refuseQuiz,
  saveAnswers,
  startAttempt,
  submitAttempt,
  type QuizError,
} from "~/learning/quiz.server";
import { clientIp, field, positiveId } from "~/platform/request.server";
import { pageTitle, useLang, useT } from "~/utils/i18n";
import { myCertificateForCourse } from "~/certificates/lookup.server";
import { AttemptForm } from "./attempt-form";
import { AttemptHistory } from "./attempt-history";
import { AttemptReview } from "./attempt-review";
import { QuizIntro } from "./quiz-intro";

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
    // What this learner has, with what HR or the trainer granted them on top of the course's rules.
    maxAttempts: v.maxAttempts > 0 ? v.maxAttempts + (enrollment?.extraAttempts ?? 0) : 0,
    timeLimitMinutes: v.timeLimitMinutes > 0 ? v.timeLimitMinutes + (enrollment?.extraMinutes ?? 0) : 0,
  };
  if (!enrollment) return { course: info, enrolled: false as const };
  const ctx = { userId: user.id, ip };
  if (completionPending(course, enrollment)) await recordCompletionIfDone(enrollment.id, course, ctx);
  const open = await openAttempt(enrollment.id, course, ctx);
  const attempt = open ? await attemptForLearner(open.id, enrollment.id) : null;
  const history = await attemptSummary(enrollment.id);
  const reviewId = positiveId(new URL(request.url).searchParams.get("attempt"));
  const attemptsLeft = v.maxAttempts > 0 ? Math.max(0, v.maxAttempts + enrollment.extraAttempts - history.length) : null;
  // The right choices stay hidden while a learner who has not passed may try again.
  const mayRetry = !enrollment.completedAt && !history.some((h) => h.passed) && attemptsLeft !== 0;
  const review = !attempt && reviewId ? await attemptReview(reviewId, enrollment.id, { mayRetry }) : null;
  const totalLessons = v.lessons.length;
  const doneLessons = v.lessons.filter((l) => enrollment.completedLessonIds.includes(l.lessonId)).length;
  return {
    course: info,
    enrolled: true as const,
    attempt,
    review,
    history,
    attemptsLeft,
    completedAt: enrollment.completedAt,
    lessonsRemaining: totalLessons - doneLessons,
    certificate: enrollment.completedAt ? await myCertificateForCourse(user.id, course.slug) : null,
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
      await startAttempt(enrollment, course, ctx);
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
      // Each save of a page is numbered (attempt-form.tsx): an older one arriving late is refused.
      const seq = /^\d{1,9}$/.test(field(form, "seq", 10)) ? Number(field(form, "seq", 10)) : null;
      await saveAnswers(attemptId, enrollment.id, answers, seq, ctx);
      return data({ saved: true, error: null, minutes: 0, attemptId: null, unanswered: null });
    }
    const outcome = await submitAttempt(attemptId, enrollment.id, course, answers, ctx, { blankConfirmed: field(form, "confirmBlank") === "1" });
    if (outcome) return data({ saved: false, error: null, minutes: 0, attemptId, unanswered: outcome.unanswered });
    return redirect(`/courses/${course.slug}/quiz?attempt=${attemptId}`);
  } catch (e) {
    if (e instanceof QuizRefusal) {
      return data({ saved: false, error: e.code, minutes: e.minutes, attemptId: e.attemptId, unanswered: null }, { status: REFUSAL_STATUS[e.code] ?? 409 });
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

export default function QuizPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const c = loaded.course;
  const courseTitle = lang === "en" && c.titleEn ? c.titleEn : c.title;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <Link to={`/courses/${c.slug}`}>← {courseTitle}</Link>
      </p>
      <h1 className="text-2xl font-bold text-brand-800">{t("quiz.title", { course: courseTitle })}</h1>
      {result?.error ? (
        <Notice tone="error">
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
        </Notice>
      ) : null}
      {result?.saved ? <Notice tone="success">{t("quiz.saved")}</Notice> : null}
      {!loaded.enrolled ? (
        <div className="card space-y-3">
          <p>{t("quiz.enrollFirst")}</p>
          <Link to={`/courses/${c.slug}`} className="btn">
            {t("lesson.backToCourse")}
          </Link>
        </div>
      ) : loaded.attempt ? (
        <AttemptForm attempt={loaded.attempt} unanswered={result?.unanswered ?? null} />
      ) : (
        <>
          {loaded.review ? <AttemptReview review={loaded.review} completedAt={loaded.completedAt} lessonsRemaining={loaded.lessonsRemaining} certificate={loaded.certificate} /> : null}
          <QuizIntro course={c} attemptsLeft={loaded.attemptsLeft} completedAt={loaded.completedAt} />
          {loaded.history.length ? <AttemptHistory history={loaded.history} /> : null}
        </>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
