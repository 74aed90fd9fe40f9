import type { SerializeFrom } from "@remix-run/node";
import { Link, useParams } from "@remix-run/react";
import { useT } from "~/utils/i18n";
import type { loader } from "./route";

type Enrolled = Extract<SerializeFrom<typeof loader>, { enrolled: true }>;

/** A submitted attempt's result and, when the course shows them, its questions with the answers. */
export function AttemptReview({
  review,
  completedAt,
  lessonsRemaining,
  certificate,
}: {
  review: NonNullable<Enrolled["review"]>;
  completedAt: Enrolled["completedAt"];
  lessonsRemaining: number;
  certificate: Enrolled["certificate"];
}) {
  const t = useT();
  const { course } = useParams();
  return (
    <section className="card space-y-3" aria-labelledby="result-heading">
      <h2 id="result-heading" className="text-xl font-semibold">
        {t("quiz.resultTitle", { n: review.number })}
      </h2>
      <p className="text-lg">{t("quiz.score", { score: review.score, correct: review.correctCount, total: review.questionCount })}</p>
      <p role="status" className={review.passed ? "font-semibold text-green-800" : "font-semibold text-red-800"}>
        {review.passed ? t("quiz.passed") : t("quiz.failed", { score: review.passingScore })}
      </p>
      {review.passed ? <p>{completedAt ? t("quiz.courseCompleted") : lessonsRemaining > 0 ? t("quiz.lessonsRemaining") : null}</p> : null}
      {review.passed && certificate ? (
        <p className="flex flex-wrap items-center gap-4">
          <a href={`/me/certificates/${certificate.display}/pdf`} className="btn">
            {t("course.certificatePdf")}
          </a>
          <Link to="/me#certificates">{t("course.myCertificates")}</Link>
        </p>
      ) : null}
      {review.answersHidden ? <p className="text-sm text-slate-700">{t("quiz.answersHidden")}</p> : null}
      {review.questions.length ? (
        <ol className="mt-4 space-y-4">
          {review.questions.map((q) => (
            <li key={q.position} className={`rounded border p-3 ${q.correct ? "border-green-300 bg-green-50" : "border-red-300 bg-red-50"}`}>
              <p className="font-semibold">
                {t("quiz.questionN", { n: q.position })} — {q.correct ? t("quiz.right") : t("quiz.wrong")}
              </p>
              <p className="mt-1 whitespace-pre-line">{q.prompt}</p>
              {q.image ? <img src={`/media/${course}/${q.image.name}`} alt={q.image.alt} className="mt-2 max-h-64 max-w-full rounded border border-slate-200" /> : null}
              <ul className="mt-2 space-y-1 text-sm">
                {q.choices.map((ch) => (
                  <li key={ch.id}>
                    {ch.isAnswer || (ch.chosen && q.correct) ? "✓ " : ch.chosen ? "✗ " : "· "}
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
  );
}
