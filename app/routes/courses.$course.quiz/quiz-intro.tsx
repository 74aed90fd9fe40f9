import type { SerializeFrom } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { useT } from "~/utils/i18n";
import type { loader } from "./route";

type Enrolled = Extract<SerializeFrom<typeof loader>, { enrolled: true }>;

/** The quiz's rules and the button that opens an attempt, while the learner may still take one. */
export function QuizIntro({ course, attemptsLeft, completedAt }: { course: Enrolled["course"]; attemptsLeft: Enrolled["attemptsLeft"]; completedAt: Enrolled["completedAt"] }) {
  const t = useT();
  return (
    <section className="card space-y-2">
      <p>{t("quiz.intro", { count: course.quizSize, score: course.passingScore })}</p>
      {course.timeLimitMinutes ? <p>{t("quiz.timeLimit", { minutes: course.timeLimitMinutes })}</p> : null}
      {completedAt ? null : <p>{attemptsLeft === null ? t("quiz.unlimited") : t("quiz.attemptsLeft", { count: attemptsLeft })}</p>}
      {completedAt ? (
        <p className="font-semibold text-green-800">{t("quiz.courseCompleted")}</p>
      ) : attemptsLeft !== 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="start" />
          <button type="submit" className="btn">
            {t("quiz.start")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
