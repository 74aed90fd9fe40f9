import type { SerializeFrom } from "@remix-run/node";
import { Form, useFetcher } from "@remix-run/react";
import { useRef } from "react";
import { Notice } from "~/components/ui/Notice";
import { useFormat, useT } from "~/utils/i18n";
import { Question } from "./question";
import type { action, loader } from "./route";

export type OpenAttempt = NonNullable<Extract<SerializeFrom<typeof loader>, { enrolled: true }>["attempt"]>;

/** `unanswered`: the questions the server found blank when the learner pressed Submit (no JavaScript). */
export function AttemptForm({ attempt, unanswered }: { attempt: OpenAttempt; unanswered: number[] | null }) {
  const t = useT();
  const fmt = useFormat();
  const fetcher = useFetcher<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);
  // Saves are numbered from the last one the server took, so that an older save arriving late
  // (a slow network, a replayed request) never overwrites newer answers.
  // Without JavaScript the hidden field carries the next number; with it, every save takes one.
  const seq = useRef(attempt.saveSeq);
  const nextSeq = () => {
    seq.current += 1;
    const field = formRef.current?.elements.namedItem("seq");
    if (field instanceof HTMLInputElement) field.value = String(seq.current);
    return seq.current;
  };
  // With JavaScript, every change is saved at once; without it, the save button does the same.
  const autosave = () => {
    if (!formRef.current) return;
    const body = new FormData(formRef.current);
    body.set("intent", "save");
    body.set("seq", String(nextSeq()));
    fetcher.submit(body, { method: "post" });
  };
  // With JavaScript the confirmation names the blank questions before anything is sent.
  const confirmSubmit = (event: React.MouseEvent<HTMLButtonElement>) => {
    const form = formRef.current;
    if (!form) return;
    const blank = attempt.questions.map((q) => q.position).filter((n) => !form.querySelector(`input[name="q${n}"]:checked`));
    const message = blank.length ? t("quiz.confirmBlank", { questions: blank.join(", "), count: blank.length, total: attempt.questions.length }) : t("quiz.confirmSubmit");
    if (!window.confirm(message)) {
      event.preventDefault();
      return;
    }
    const field = form.elements.namedItem("confirmBlank");
    if (field instanceof HTMLInputElement) field.value = "1";
  };
  return (
    <Form method="post" ref={formRef} onChange={autosave} onSubmit={nextSeq} id="attempt" className="space-y-6">
      <input type="hidden" name="confirmBlank" value={unanswered ? "1" : ""} />
      {unanswered ? (
        <Notice tone="warning">
          <p className="font-semibold">{t("quiz.blankTitle", { count: unanswered.length })}</p>
          <p className="mt-1">
            {t("quiz.blankList")}{" "}
            {unanswered.map((n, i) => (
              <span key={n}>
                {i > 0 ? ", " : ""}
                <a href={`#q${n}`}>{t("quiz.questionN", { n })}</a>
              </span>
            ))}
            . {t("quiz.blankHint")}
          </p>
        </Notice>
      ) : null}
      <input type="hidden" name="attemptId" value={attempt.id} />
      <input type="hidden" name="seq" defaultValue={attempt.saveSeq + 1} />
      {attempt.deadlineAt ? <p className="font-semibold">{t("quiz.deadline", { time: fmt.dateTime(attempt.deadlineAt) })}</p> : null}
      <ol className="space-y-6">
        {attempt.questions.map((q) => (
          <Question key={q.position} question={q} />
        ))}
      </ol>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" name="intent" value="save" className="btn-secondary">
          {t("quiz.save")}
        </button>
        <span role="status" className="text-sm text-slate-600">
          {fetcher.data?.error ? t(`quiz.errors.${fetcher.data.error}`, { minutes: fetcher.data.minutes }) : fetcher.data?.saved ? t("quiz.autosaved") : ""}
        </span>
        {/* Apart from Save, so that a slip of the finger does not hand the paper in. */}
        <button type="submit" name="intent" value="submit" className="btn ml-auto" onClick={confirmSubmit}>
          {unanswered ? t("quiz.submitAnyway") : t("quiz.submit")}
        </button>
      </div>
    </Form>
  );
}
