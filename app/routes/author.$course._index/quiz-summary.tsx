import type { SerializeFrom } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { Badge } from "~/components/author/ui";
import { useT } from "~/utils/i18n";
import "~/locales/follow-up";
import "~/locales/author";
import type { loader } from "./route";

type Editor = SerializeFrom<typeof loader>["course"];

/** How many questions the bank holds against how many a quiz draws, with a link to the bank. */
export function QuizSummary({ course }: { course: Editor }) {
  const t = useT();
  const missing = course.quizSize - course._count.questions;
  return (
    <section aria-labelledby="quiz-heading" className="card">
      <h2 id="quiz-heading" className="text-lg font-semibold">
        {t("author.quiz.heading")}
      </h2>
      <p className="mt-2">{t("author.quiz.summary", { count: course._count.questions, quizSize: course.quizSize })}</p>
      {missing > 0 ? (
        <p className="mt-2 text-sm text-amber-900">
          <Badge tone="warning">{t("author.quiz.shortBadge")}</Badge> {t("author.quiz.short", { missing })}
        </p>
      ) : null}
      <p className="mt-3">
        <Link to={`/author/${course.slug}/quiz`} className="btn-secondary">
          {t("author.quiz.manage")}
        </Link>{" "}
        <Link to={`/author/${course.slug}/learners`} className="btn-secondary">
          {t("followUp.learners.link")}
        </Link>
      </p>
    </section>
  );
}
