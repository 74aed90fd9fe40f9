import { Form, useNavigation } from "@remix-run/react";
import { Badge } from "~/components/author/ui";
import { useT } from "~/utils/i18n";
import type { QuestionType } from "~/utils/course";
import "~/locales/author";
import "~/locales/question-bank";

export type PreviewView = {
  uploadId: number;
  fileName: string;
  format: string;
  encoding: string | null;
  categories: string[];
  questions: {
    position: number;
    key: string;
    category: string;
    type: QuestionType;
    prompt: string;
    choices: number;
    image: { name: string; kb: number; reused: boolean } | null;
    duplicate: boolean;
  }[];
  skipped: { position: number; line: number; kind: string; title: string }[];
};

type ProblemView = { key: string; params: Record<string, string | number> };

/** A refused file's problems: a question's own problems say which question, file errors say where. */
export function ProblemItems({ problems }: { problems: ProblemView[] }) {
  const t = useT();
  return (
    <>
      {problems.map((p, i) => (
        <li key={i}>{`${p.key.startsWith("qbank.problems.") ? `${t(p.params.line ? "qbank.atLine" : "qbank.at", p.params)}: ` : ""}${t(p.key, p.params)}`}</li>
      ))}
    </>
  );
}

/** What the file would add, what it skips and how it was read, with the button that adds it. */
export function ImportPreview({ preview }: { preview: PreviewView }) {
  const t = useT();
  const busy = useNavigation().state === "submitting";
  const kind = (k: string) => t(`qbank.kinds.${k}`, { defaultValue: k });
  return (
    <section className="card space-y-4" aria-labelledby="preview-heading">
      <h2 id="preview-heading" className="text-lg font-semibold">
        {t("qbank.previewHeading", { file: preview.fileName })}
      </h2>
      <p className="text-sm text-slate-700">
        {preview.encoding
          ? t("qbank.detected", { format: t(`qbank.formats.${preview.format}`), encoding: t(`qbank.encodings.${preview.encoding}`) })
          : t("qbank.detectedSheet", { format: t(`qbank.formats.${preview.format}`) })}
      </p>
      <p role="status" className="font-medium">
        {t("qbank.summary", { added: preview.questions.length, skipped: preview.skipped.length })}
      </p>
      {preview.categories.length ? <p className="text-sm text-slate-700">{t("qbank.categories", { list: preview.categories.join("; ") })}</p> : null}

      <h3 className="font-semibold">{t("qbank.toAddHeading")}</h3>
      {/* On a phone a table of seven columns leaves the prompt a word per line: one card per question instead. */}
      <ol className="space-y-3 sm:hidden">
        {preview.questions.map((q) => (
          <li key={q.position} className="rounded border border-slate-200 p-3 text-sm">
            <p className="font-medium">
              {t("qbank.columns.number")} {q.position} · <code>{q.key}</code> · {t(`author.quiz.types.${q.type}`)}
            </p>
            <p className="mt-1 whitespace-pre-line">{q.prompt}</p>
            {q.duplicate ? (
              <p className="mt-1">
                <Badge tone="warning">{t("qbank.duplicate")}</Badge>
              </p>
            ) : null}
            <dl className="mt-2 space-y-1 text-slate-700">
              <div>
                <dt className="inline font-medium">{t("qbank.columns.choices")}: </dt>
                <dd className="inline">{q.choices}</dd>
              </div>
              <div>
                <dt className="inline font-medium">{t("qbank.columns.image")}: </dt>
                <dd className="inline">{q.image ? t(q.image.reused ? "qbank.imageReused" : "qbank.imageNew", { name: q.image.name, kb: q.image.kb }) : t("qbank.noImage")}</dd>
              </div>
              {q.category ? (
                <div>
                  <dt className="inline font-medium">{t("qbank.columns.category")}: </dt>
                  <dd className="inline">{q.category}</dd>
                </div>
              ) : null}
            </dl>
          </li>
        ))}
      </ol>
      <div className="hidden overflow-x-auto sm:block">
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-300">
              <th scope="col" className="p-2">{t("qbank.columns.number")}</th>
              <th scope="col" className="p-2">{t("qbank.columns.key")}</th>
              <th scope="col" className="p-2">{t("qbank.columns.type")}</th>
              <th scope="col" className="p-2">{t("qbank.columns.prompt")}</th>
              <th scope="col" className="p-2">{t("qbank.columns.choices")}</th>
              <th scope="col" className="p-2">{t("qbank.columns.image")}</th>
              <th scope="col" className="p-2">{t("qbank.columns.category")}</th>
            </tr>
          </thead>
          <tbody>
            {preview.questions.map((q) => (
              <tr key={q.position} className="border-b border-slate-200 align-top">
                <td className="p-2">{q.position}</td>
                <td className="p-2 whitespace-nowrap">
                  <code>{q.key}</code>
                </td>
                <td className="p-2">{t(`author.quiz.types.${q.type}`)}</td>
                <td className="p-2 whitespace-pre-line">
                  {q.prompt}
                  {q.duplicate ? (
                    <span className="mt-1 block">
                      <Badge tone="warning">{t("qbank.duplicate")}</Badge>
                    </span>
                  ) : null}
                </td>
                <td className="p-2">{q.choices}</td>
                <td className="p-2">
                  {q.image ? t(q.image.reused ? "qbank.imageReused" : "qbank.imageNew", { name: q.image.name, kb: q.image.kb }) : t("qbank.noImage")}
                </td>
                <td className="p-2">{q.category}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {preview.skipped.length ? (
        <div>
          <h3 className="font-semibold">{t("qbank.skippedHeading", { count: preview.skipped.length })}</h3>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
            {preview.skipped.map((s) => (
              <li key={s.position}>
                {t("qbank.skippedItem", {
                  number: s.position,
                  line: s.line ? t("qbank.skippedLine", { line: s.line }) : "",
                  kind: kind(s.kind),
                  title: s.title ? ` — “${s.title}”` : "",
                })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <Form method="post" encType="multipart/form-data" className="space-y-2">
        <input type="hidden" name="upload" value={preview.uploadId} />
        <p className="text-sm text-slate-700">{t("qbank.applyHelp")}</p>
        <button type="submit" name="intent" value="apply" className="btn" disabled={busy}>
          {t("qbank.apply", { count: preview.questions.length })}
        </button>
      </Form>
    </section>
  );
}
