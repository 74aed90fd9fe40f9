import type { SerializeFrom } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { Notice } from "~/components/ui/Notice";
import { useT } from "~/utils/i18n";
import "~/locales/author";
import "~/locales/versions";
import type { action, loader } from "./route";

type Editor = SerializeFrom<typeof loader>["course"];
type Changes = SerializeFrom<typeof loader>["changes"];
type Review = SerializeFrom<typeof loader>["review"];
type Outcomes = SerializeFrom<typeof action>;

/**
 * Publishing makes the draft the version learners get. Before that, the panel says what the
 * draft changes against the published version; a refusal lists what stands in the way.
 */
export function PublishPanel({
  course,
  changes,
  outcome,
  busy,
  review,
  reviewOutcome,
}: {
  course: Editor;
  changes: Changes;
  outcome: Outcomes["publish"];
  busy: boolean;
  review: Review;
  reviewOutcome: Outcomes["review"];
}) {
  const t = useT();
  const q = changes.questions;
  const problemText = (p: string) =>
    p === "reviewRequired" ? t("versions.problems.reviewRequired") : t(`author.publish.problems.${p}`, { quizSize: course.quizSize, count: course._count.questions, defaultValue: p });
  const pending = changes.settings.length + changes.lessons.length + changes.removedLessons.length + q.added + q.changed + q.removed;
  return (
    <section aria-labelledby="publish-heading" className="card">
      <h2 id="publish-heading" className="text-lg font-semibold">
        {t("author.publish.heading")}
      </h2>
      <p className="mt-1 text-sm text-slate-700">{t("author.publish.help")}</p>
      {review.required ? <p className="mt-1 text-sm text-slate-700">{t("versions.review.help")}</p> : null}
      {changes.published === null ? null : pending === 0 ? (
        <p className="mt-3 text-sm font-semibold text-green-800">{t("author.changes.none", { number: changes.published })}</p>
      ) : (
        <Notice tone="warning" as="div" className="mt-3" announce={false}>
          <p className="font-semibold">{t(review.required ? "versions.review.changesTitle" : "author.changes.title", { number: changes.published })}</p>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
            {changes.settings.length ? <li>{t("author.changes.settings", { fields: changes.settings.map((f) => t(`author.fields.${f}`)).join(", ") })}</li> : null}
            {changes.lessons.map((l) => (
              <li key={l.id}>{t(`author.changes.lesson.${l.change}`, { title: l.title })}</li>
            ))}
            {changes.removedLessons.map((title) => (
              <li key={title}>{t("author.changes.lesson.removed", { title })}</li>
            ))}
            {q.added + q.changed + q.removed ? <li>{t("author.changes.questions", { added: q.added, changed: q.changed, removed: q.removed })}</li> : null}
          </ul>
        </Notice>
      )}
      {outcome ? (
        <div className="mt-3">
          {outcome.ok ? (
            <Notice tone="success">{outcome.created ? t("author.publish.done", { number: outcome.number }) : t("author.publish.noChanges", { number: outcome.number })}</Notice>
          ) : (
            <Notice tone="error" as="div">
              <p className="font-semibold">{t("author.publish.refused")}</p>
              <ul className="mt-2 list-disc space-y-1 pl-5">
                {outcome.problems.map((p) => (
                  <li key={p}>{problemText(p)}</li>
                ))}
              </ul>
            </Notice>
          )}
        </div>
      ) : null}
      {reviewOutcome ? (
        <div className="mt-3">
          {reviewOutcome.ok ? (
            <Notice tone="success">{t(reviewOutcome.key)}</Notice>
          ) : (
            <Notice tone="error" as="div">
              {reviewOutcome.error ? <p>{t(reviewOutcome.error)}</p> : <p className="font-semibold">{t("author.publish.refused")}</p>}
              {reviewOutcome.problems?.length ? (
                <ul className="mt-2 list-disc space-y-1 pl-5">
                  {reviewOutcome.problems.map((p) => (
                    <li key={p}>{problemText(p)}</li>
                  ))}
                </ul>
              ) : null}
            </Notice>
          )}
        </div>
      ) : null}
      {review.open ? (
        <Notice tone="warning" className="mt-3" announce={false}>
          {t(review.open.stale ? "versions.review.stale" : review.open.mine ? "versions.review.pendingMine" : "versions.review.pending")}{" "}
          <Link to={`/author/${course.slug}/versions#review-heading`} className="underline">
            {t("versions.link")}
          </Link>
        </Notice>
      ) : null}
      {review.required ? (
        <Form method="post" className="mt-3 space-y-2">
          <input type="hidden" name="intent" value="requestReview" />
          <label className="block text-sm font-semibold" htmlFor="review-note">
            {t("versions.review.note")}
          </label>
          <textarea id="review-note" name="note" rows={2} maxLength={1000} className="input w-full" />
          <button type="submit" className="btn" disabled={busy}>
            {t("versions.review.submit")}
          </button>
        </Form>
      ) : (
        <Form method="post" className="mt-3">
          <input type="hidden" name="intent" value="publish" />
          <button type="submit" className="btn" disabled={busy}>
            {t("author.publish.submit")}
          </button>
        </Form>
      )}
      <p className="mt-3 text-sm">
        <Link to={`/author/${course.slug}/versions`} className="underline">
          {t("versions.link")}
        </Link>
      </p>
    </section>
  );
}
