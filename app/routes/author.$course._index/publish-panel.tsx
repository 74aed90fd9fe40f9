import type { SerializeFrom } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { Notice } from "~/components/ui/Notice";
import { useT } from "~/utils/i18n";
import "~/locales/author";
import type { action, loader } from "./route";

type Editor = SerializeFrom<typeof loader>["course"];

/** Publishing makes the draft the version learners get; a refusal lists what stands in the way. */
export function PublishPanel({ course, outcome, busy }: { course: Editor; outcome: SerializeFrom<typeof action>["publish"]; busy: boolean }) {
  const t = useT();
  return (
    <section aria-labelledby="publish-heading" className="card">
      <h2 id="publish-heading" className="text-lg font-semibold">
        {t("author.publish.heading")}
      </h2>
      <p className="mt-1 text-sm text-slate-700">{t("author.publish.help")}</p>
      {outcome ? (
        <div className="mt-3">
          {outcome.ok ? (
            <Notice tone="success">{outcome.created ? t("author.publish.done", { number: outcome.number }) : t("author.publish.noChanges", { number: outcome.number })}</Notice>
          ) : (
            <Notice tone="error" as="div">
              <p className="font-semibold">{t("author.publish.refused")}</p>
              <ul className="mt-2 list-disc space-y-1 pl-5">
                {outcome.problems.map((p) => (
                  <li key={p}>{t(`author.publish.problems.${p}`, { quizSize: course.quizSize, count: course._count.questions, defaultValue: p })}</li>
                ))}
              </ul>
            </Notice>
          )}
        </div>
      ) : null}
      <Form method="post" className="mt-3">
        <input type="hidden" name="intent" value="publish" />
        <button type="submit" className="btn" disabled={busy}>
          {t("author.publish.submit")}
        </button>
      </Form>
    </section>
  );
}
