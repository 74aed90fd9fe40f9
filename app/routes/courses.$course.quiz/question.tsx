import { useParams } from "@remix-run/react";
import { useT } from "~/utils/i18n";
import type { OpenAttempt } from "./attempt-form";

type QuestionView = OpenAttempt["questions"][number];

/** One question of an open attempt: its choices as radio buttons or checkboxes, named q<position>. */
export function Question({ question: q }: { question: QuestionView }) {
  const t = useT();
  const { course } = useParams();
  return (
    <li className="card scroll-mt-4" id={`q${q.position}`}>
      <input type="hidden" name="asked" value={q.position} />
      <fieldset>
        <legend className="font-semibold">
          <span className="block text-sm font-normal text-slate-600">
            {t("quiz.questionN", { n: q.position })} · {q.type === "multiple" ? t("quiz.chooseMany") : t("quiz.chooseOne")}
          </span>
          <span className="whitespace-pre-line">{q.prompt}</span>
        </legend>
        {q.image ? <img src={`/media/${course}/${q.image.name}`} alt={q.image.alt} className="mt-3 max-h-80 max-w-full rounded border border-slate-200" /> : null}
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
  );
}
