import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { authorMeta } from "~/components/author/meta";
import { Badge, Breadcrumbs, ConfirmDelete } from "~/components/author/ui";
import { SelectField, TextareaField, TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { requireEditableCourse } from "~/content/authoring-access.server";
import type { QuestionValues } from "~/content/authoring-forms.server";
import { getQuizSize, listMedia, listQuestions } from "~/content/authoring.data.server";
import { deleteQuestion, saveQuestion } from "~/content/authoring.server";
import { MAX_CHOICES } from "~/utils/authoring";
import type { FieldErrors } from "~/platform/forms.server";
import { field, idParam } from "~/platform/request.server";
import { QUESTION_TYPES, type Choice } from "~/utils/course";
import { useT } from "~/utils/i18n";
import "~/locales/author";
import "~/locales/question-bank";
import "~/locales/question-stats";

export const meta: MetaFunction = ({ matches }) => authorMeta(matches, (t) => t("author.quiz.heading"));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { course } = await requireEditableCourse(request, context, params.course);
  const quizSize = await getQuizSize(course.id);
  const questions = (await listQuestions(course.id)).map((q) => ({ ...q, choices: JSON.parse(q.choices) as Choice[] }));
  const images = (await listMedia(course.id)).map((m) => m.name).sort();
  const editParam = new URL(request.url).searchParams.get("edit");
  const editing = editParam ? (questions.find((q) => String(q.id) === editParam) ?? null) : null;
  return { course: { slug: course.slug, title: course.title, quizSize }, questions, editing, images };
}

type ActionResult = { errors: FieldErrors; problems: string[]; values: QuestionValues | null };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireEditableCourse(request, context, params.course);
  const form = await request.formData();
  const intent = field(form, "intent");
  const base = `/author/${actor.course.slug}/quiz`;
  if (intent === "save") {
    const result = await saveQuestion(actor, form);
    if (result.ok) return redirect(`${base}?saved=${encodeURIComponent(result.key)}`);
    return data<ActionResult>({ errors: result.errors, problems: result.problems, values: result.values }, { status: 400 });
  }
  if (intent === "delete") {
    await deleteQuestion(actor, idParam(field(form, "questionId")));
    return redirect(`${base}?deleted=1`);
  }
  return data<ActionResult>({ errors: { _: "author.errors.invalid" }, problems: [], values: null }, { status: 400 });
}

function emptyValues(): QuestionValues {
  return { questionId: "", key: "", type: "single", prompt: "", explanation: "", choices: [], image: "", imageAlt: "" };
}

export default function QuizBank() {
  const { course, questions, editing, images } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const base = `/author/${course.slug}`;

  const fromQuestion: QuestionValues | null = editing
    ? {
        questionId: String(editing.id),
        key: editing.key,
        type: editing.type,
        prompt: editing.prompt,
        explanation: editing.explanation,
        choices: editing.choices,
        image: editing.image ?? "",
        imageAlt: editing.imageAlt,
      }
    : null;
  const values = result?.values ?? fromQuestion ?? emptyValues();
  const isEdit = values.questionId !== "";
  // An imported question may have more choices than the blank form's rows (up to 8).
  const rows = Array.from({ length: Math.max(MAX_CHOICES, values.choices.filter((c) => c.text || c.correct).length) }, (_, i) => values.choices[i] ?? { id: "", text: "", correct: false });
  const errors: FieldErrors = result?.errors ?? {};
  const problems = result?.problems ?? [];
  const fieldError = (name: string) => (errors[name] ? t(errors[name]) : undefined);
  // The form is keyed by what it shows, so switching between questions resets its fields.
  const formKey = `${values.questionId || "new"}-${result ? "r" : "l"}`;

  return (
    <div className="space-y-6">
      <Breadcrumbs items={[{ to: "/author", label: t("author.title") }, { to: base, label: course.title }, { label: t("author.quiz.heading") }]} />
      <h1 className="text-2xl font-bold text-brand-800">{t("author.quiz.pageTitle", { course: course.title })}</h1>
      <p className="text-slate-700">{t("author.quiz.summary", { count: questions.length, quizSize: course.quizSize })}</p>
      <p>
        <Link to={`${base}/quiz/stats`}>{t("questionStats.link")}</Link>
      </p>
      {params.get("saved") && !result ? <Notice tone="success">{t("author.quiz.saved", { key: params.get("saved") })}</Notice> : null}
      {params.get("deleted") && !result ? <Notice tone="success">{t("author.quiz.deleted")}</Notice> : null}
      {params.get("imported") && !result ? (
        <Notice tone="success">{t(params.get("again") ? "qbank.alreadyApplied" : "qbank.applied", { count: Number(params.get("imported")) || 0 })}</Notice>
      ) : null}

      <section aria-labelledby="bank-files-heading" className="card space-y-3">
        <h2 id="bank-files-heading" className="text-lg font-semibold">
          {t("qbank.exportHeading")}
        </h2>
        <p>
          <Link to={`${base}/quiz/import`} className="btn-secondary">
            {t("qbank.importLink")}
          </Link>
        </p>
        <p className="text-sm text-slate-700">{t("qbank.exportHelp")}</p>
        <p className="flex flex-wrap gap-3">
          <a href={`${base}/quiz/export?format=xml`} download className="btn-secondary">
            {t("qbank.exportXml")}
          </a>
          <a href={`${base}/quiz/export?format=gift`} download className="btn-secondary">
            {t("qbank.exportGift")}
          </a>
        </p>
      </section>

      <section aria-labelledby="question-form-heading" id="question-form" className="card">
        <h2 id="question-form-heading" className="text-lg font-semibold">
          {isEdit ? t("author.quiz.editHeading", { key: fromQuestion?.key ?? values.key }) : t("author.quiz.addHeading")}
        </h2>
        {result && (problems.length || Object.keys(errors).length) ? (
          <Notice tone="error" as="div" className="mt-3">
            <p className="font-semibold">{t("author.quiz.notSaved")}</p>
            {errors._ ? <p className="mt-2">{t(errors._)}</p> : null}
            {problems.length ? (
              <ul className="mt-2 list-disc space-y-1 pl-5">
                {problems.map((p) => (
                  <li key={p}>{t(p)}</li>
                ))}
              </ul>
            ) : null}
          </Notice>
        ) : null}
        <Form key={formKey} method="post" className="mt-4 space-y-4" noValidate>
          <input type="hidden" name="intent" value="save" />
          <input type="hidden" name="questionId" value={values.questionId} />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              id="key"
              label={t("author.quiz.key")}
              hint={t("author.quiz.keyHelp")}
              hintAbove
              hintSize="xs"
              error={fieldError("key")}
              name="key"
              maxLength={40}
              defaultValue={values.key}
              autoCapitalize="none"
              spellCheck={false}
              className="input font-mono"
            />
            <SelectField id="type" label={t("author.quiz.type")} hint={t("author.quiz.typeHelp")} hintAbove hintSize="xs" error={fieldError("type")} name="type" defaultValue={values.type}>
              {QUESTION_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`author.quiz.types.${type}`)}
                </option>
              ))}
            </SelectField>
          </div>
          <TextareaField id="prompt" label={t("author.quiz.prompt")} error={fieldError("prompt")} name="prompt" rows={3} maxLength={2000} defaultValue={values.prompt} />
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField id="image" label={t("qbank.image")} hint={t("qbank.imageHelp")} hintAbove hintSize="xs" error={fieldError("image")} name="image" defaultValue={values.image}>
              <option value="">{t("qbank.imageNone")}</option>
              {[...new Set([...images, ...(values.image ? [values.image] : [])])].map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </SelectField>
            <TextField
              id="imageAlt"
              label={t("qbank.imageAlt")}
              hint={t("qbank.imageAltHelp")}
              hintAbove
              hintSize="xs"
              error={fieldError("imageAlt")}
              name="imageAlt"
              maxLength={300}
              defaultValue={values.imageAlt}
            />
          </div>
          <fieldset aria-describedby="choices-help">
            <legend className="label">{t("author.quiz.choices")}</legend>
            <p id="choices-help" className="mb-2 text-xs text-slate-600">
              {t("author.quiz.choicesHelp", { max: MAX_CHOICES })}
            </p>
            <ol className="space-y-2">
              {rows.map((choice, i) => (
                <li key={i} className="flex flex-col gap-2 rounded border border-slate-200 p-2 sm:flex-row sm:items-center">
                  <input type="hidden" name={`choice${i}Id`} value={choice.id} />
                  <label htmlFor={`choice${i}Text`} className="shrink-0 text-sm font-medium sm:w-24">
                    {t("author.quiz.choiceN", { n: i + 1 })}
                  </label>
                  <input id={`choice${i}Text`} name={`choice${i}Text`} maxLength={1000} defaultValue={choice.text} className="input grow" />
                  <span className="flex shrink-0 items-center gap-2">
                    <input id={`choice${i}Correct`} name={`choice${i}Correct`} type="checkbox" defaultChecked={choice.correct} className="h-5 w-5" />
                    <label htmlFor={`choice${i}Correct`} className="text-sm">
                      {t("author.quiz.correct")}
                      <span className="sr-only"> ({t("author.quiz.choiceN", { n: i + 1 })})</span>
                    </label>
                  </span>
                </li>
              ))}
            </ol>
          </fieldset>
          <TextareaField
            id="explanation"
            label={t("author.quiz.explanation")}
            hint={t("author.quiz.explanationHelp")}
            hintAbove
            hintSize="xs"
            error={fieldError("explanation")}
            name="explanation"
            rows={3}
            maxLength={3000}
            defaultValue={values.explanation}
          />
          <div className="flex flex-wrap gap-3">
            <button type="submit" className="btn">
              {isEdit ? t("author.quiz.update") : t("author.quiz.add")}
            </button>
            {isEdit ? (
              <Link to={`${base}/quiz`} className="btn-secondary">
                {t("author.quiz.cancelEdit")}
              </Link>
            ) : null}
          </div>
        </Form>
      </section>

      <section aria-labelledby="questions-heading">
        <h2 id="questions-heading" className="text-lg font-semibold">
          {t("author.quiz.listHeading", { count: questions.length })}
        </h2>
        {questions.length === 0 ? (
          <p className="mt-2 text-slate-700">{t("author.quiz.empty")}</p>
        ) : (
          <ol className="mt-3 space-y-3">
            {questions.map((q, i) => (
              <li key={q.id} className="card">
                <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
                  <span className="font-semibold text-slate-800">{t("author.quiz.questionN", { n: i + 1 })}</span>
                  <code>{q.key}</code>
                  <Badge tone="draft">{t(`author.quiz.types.${q.type}`, { defaultValue: q.type })}</Badge>
                </div>
                <p className="mt-2 font-medium whitespace-pre-line">{q.prompt}</p>
                {q.image ? <img src={`/media/${course.slug}/${q.image}`} alt={q.imageAlt} className="mt-2 max-h-64 rounded border border-slate-200" loading="lazy" /> : null}
                <ul className="mt-2 space-y-1 text-sm">
                  {q.choices.map((c) => (
                    <li key={c.id} className={c.correct ? "font-semibold text-green-900" : "text-slate-800"}>
                      <span aria-hidden="true">{c.correct ? "✓ " : "○ "}</span>
                      {c.text}
                      {c.correct ? <span className="sr-only"> ({t("author.quiz.correct")})</span> : null}
                    </li>
                  ))}
                </ul>
                {q.explanation ? (
                  <p className="mt-2 text-sm text-slate-700">
                    <span className="font-semibold">{t("author.quiz.explanation")}:</span> {q.explanation}
                  </p>
                ) : null}
                <div className="mt-3 flex flex-wrap items-start gap-2">
                  <Link to={`?edit=${q.id}#question-form`} className="btn-secondary" aria-label={t("author.quiz.editLabel", { key: q.key })}>
                    {t("author.quiz.edit")}
                  </Link>
                  <Form method="post">
                    <input type="hidden" name="intent" value="delete" />
                    <input type="hidden" name="questionId" value={q.id} />
                    <ConfirmDelete
                      label={t("author.quiz.delete")}
                      question={t("author.quiz.deleteConfirm", { key: q.key })}
                      confirmLabel={t("author.quiz.deleteSubmit", { key: q.key })}
                    />
                  </Form>
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
