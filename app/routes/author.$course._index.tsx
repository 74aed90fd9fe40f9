import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { authorMeta } from "~/components/author/meta";
import { Badge, Breadcrumbs, ConfirmDelete, ProblemList, type ProblemView } from "~/components/author/ui";
import { FieldError, Notice } from "~/components/ui/Notice";
import { getCourseEditor } from "~/content/authoring.data.server";
import {
  addLesson,
  deleteLesson,
  lessonNeedsSave,
  moveLesson,
  publish,
  requireEditableCourse,
  updateSettings,
} from "~/content/authoring.server";
import type { FieldErrors } from "~/platform/forms.server";
import { field, idParam } from "~/platform/request.server";
import { CATEGORIES, REVIEW_POLICIES } from "~/utils/course";
import { useFormat, useLang, useT } from "~/utils/i18n";
import "~/locales/author";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => authorMeta(matches, (t) => data?.course.title ?? t("author.title"));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { course: ref } = await requireEditableCourse(request, context, params.course);
  const course = await getCourseEditor(ref.id);
  return {
    course: { ...course, lessons: course.lessons.map(({ sourceHash, rendererVersion, ...l }) => ({ ...l, needsSave: lessonNeedsSave({ sourceHash, rendererVersion }) })) },
  };
}

type ActionResult = {
  intent: string;
  ok?: string;
  errors?: FieldErrors;
  introProblems?: ProblemView[];
  values?: Record<string, string>;
  publish?: { ok: true; created: boolean; number: number } | { ok: false; problems: string[] };
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireEditableCourse(request, context, params.course);
  const form = await request.formData();
  const intent = field(form, "intent");
  const fail = (result: ActionResult) => data<ActionResult>(result, { status: 400 });

  switch (intent) {
    case "settings": {
      const result = await updateSettings(actor, form);
      if (result.ok) return data<ActionResult>({ intent, ok: "author.settings.saved" });
      const values: Record<string, string> = {};
      for (const [k, v] of form.entries()) if (typeof v === "string") values[k] = v;
      return fail({ intent, errors: result.errors, introProblems: result.introProblems, values });
    }
    case "addLesson": {
      const result = await addLesson(actor, form);
      if (!result.ok) return fail({ intent, errors: result.errors, values: { lessonSlug: field(form, "slug"), lessonTitle: field(form, "title") } });
      return redirect(`/author/${actor.course.slug}/lessons/${result.slug}?created=1`);
    }
    case "moveUp":
    case "moveDown": {
      const from = Number(field(form, "from"));
      await moveLesson(actor, idParam(field(form, "lessonId")), Number.isInteger(from) ? from : -1, intent === "moveUp" ? "up" : "down");
      return data<ActionResult>({ intent, ok: "author.lessons.moved" });
    }
    case "deleteLesson": {
      await deleteLesson(actor, idParam(field(form, "lessonId")));
      return data<ActionResult>({ intent, ok: "author.lessons.deleted" });
    }
    case "publish": {
      const result = await publish(actor);
      const view: ActionResult["publish"] = result.ok ? { ok: true, created: result.created, number: result.number } : { ok: false, problems: result.problems };
      return result.ok ? data<ActionResult>({ intent, publish: view }) : fail({ intent, publish: view });
    }
    default:
      return fail({ intent, errors: { _: "author.errors.invalid" } });
  }
}

const NUMBER_FIELDS = ["estimatedMinutes", "validityMonths", "passingScore", "quizSize", "maxAttempts", "retryWaitMinutes", "timeLimitMinutes"] as const;

export default function CourseEditor() {
  const { course } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const t = useT();
  const lang = useLang();
  const fmt = useFormat();
  const errors: FieldErrors = result?.errors ?? {};
  const settingsErrors = result?.intent === "settings" ? errors : {};
  const values = result?.intent === "settings" ? (result.values ?? {}) : null;
  const value = (name: string, stored: string | number) => (values ? (values[name] ?? "") : String(stored));
  const checked = (name: string, stored: boolean) => (values ? values[name] === "on" : stored);
  const settingsError = (name: string) => (settingsErrors[name] ? t(settingsErrors[name]) : undefined);
  const describe = (name: string, help?: boolean) => {
    const ids = [help ? `${name}-help` : null, settingsErrors[name] ? `${name}-error` : null].filter(Boolean).join(" ");
    return { "aria-invalid": settingsErrors[name] ? true : undefined, "aria-describedby": ids || undefined };
  };
  const lessonTitle = (l: { title: string; titleEn: string }) => (lang === "en" && l.titleEn ? l.titleEn : l.title);
  const quizShort = course._count.questions < course.quizSize;
  const base = `/author/${course.slug}`;

  return (
    <div className="space-y-8">
      <Breadcrumbs items={[{ to: "/author", label: t("author.title") }, { label: course.title }]} />
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-bold break-words text-brand-800">{course.title}</h1>
          <p className="mt-2 flex flex-wrap items-center gap-2 text-sm">
            {course.publishedVersion ? (
              <Badge tone="published">{t("author.state.published", { number: course.publishedVersion.number })}</Badge>
            ) : (
              <Badge tone="draft">{t("author.state.draft")}</Badge>
            )}
            <span className="text-slate-700">{t("author.course.draftEdited", { date: fmt.dateTime(course.updatedAt) })}</span>
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {course.publishedVersion ? (
            <Link to={`/courses/${course.slug}`} className="btn-secondary">
              {t("author.course.viewPublished")}
            </Link>
          ) : null}
          <a href={`${base}/export`} className="btn-secondary" download>
            {t("author.course.export")}
          </a>
          <Link to="/author/guide" className="btn-secondary">
            {t("author.guideLink")}
          </Link>
        </div>
      </div>

      {params.get("created") && !result ? <Notice tone="success">{t("author.create.created")}</Notice> : null}
      {result?.ok && result.intent !== "settings" ? <Notice tone="success">{t(result.ok)}</Notice> : null}
      {errors._ ? <Notice tone="error">{t(errors._)}</Notice> : null}
      {course.origin === "content" ? (
        <p className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">{t("author.course.fromContent")}</p>
      ) : null}

      <section aria-labelledby="publish-heading" className="card">
        <h2 id="publish-heading" className="text-lg font-semibold">
          {t("author.publish.heading")}
        </h2>
        <p className="mt-1 text-sm text-slate-700">{t("author.publish.help")}</p>
        {result?.publish ? (
          <div className="mt-3">
            {result.publish.ok ? (
              <Notice tone="success">
                {result.publish.created ? t("author.publish.done", { number: result.publish.number }) : t("author.publish.noChanges", { number: result.publish.number })}
              </Notice>
            ) : (
              <div role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900">
                <p className="font-semibold">{t("author.publish.refused")}</p>
                <ul className="mt-2 list-disc space-y-1 pl-5">
                  {result.publish.problems.map((p) => (
                    <li key={p}>{t(`author.publish.problems.${p}`, { quizSize: course.quizSize, count: course._count.questions, defaultValue: p })}</li>
                  ))}
                </ul>
              </div>
            )}
          </div>
        ) : null}
        <Form method="post" className="mt-3">
          <input type="hidden" name="intent" value="publish" />
          <button type="submit" className="btn" disabled={busy === "publish"}>
            {t("author.publish.submit")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="lessons-heading" id="lessons">
        <h2 id="lessons-heading" className="text-lg font-semibold">
          {t("author.lessons.heading")}
        </h2>
        {course.lessons.length === 0 ? (
          <p className="mt-2 text-slate-700">{t("author.lessons.empty")}</p>
        ) : (
          <ol className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
            {course.lessons.map((l, i) => (
              <li key={l.id} className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-start">
                <div className="flex min-w-0 grow gap-3">
                  <span aria-hidden="true" className="grid h-7 w-7 shrink-0 place-items-center rounded-full bg-slate-200 text-sm font-semibold text-slate-800">
                    {i + 1}
                  </span>
                  <div className="min-w-0">
                    <Link to={`${base}/lessons/${l.slug}`} className="font-medium break-words">
                      <span className="sr-only">{t("author.lessons.numbered", { n: i + 1 })} </span>
                      {lessonTitle(l)}
                    </Link>
                    <p className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-600">
                      <code className="break-all">{l.slug}</code>
                      <span>{t("author.lessons.minutes", { count: l.minutes })}</span>
                      {l.needsSave ? <Badge tone="warning">{t("author.lessons.needsSave")}</Badge> : null}
                    </p>
                  </div>
                </div>
                <div className="flex flex-wrap items-start gap-2">
                  <Form method="post">
                    <input type="hidden" name="intent" value="moveUp" />
                    <input type="hidden" name="lessonId" value={l.id} />
                    <input type="hidden" name="from" value={l.position} />
                    <button type="submit" className="btn-secondary px-3" disabled={i === 0} aria-label={t("author.lessons.moveUp", { title: l.title })}>
                      ↑
                    </button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="intent" value="moveDown" />
                    <input type="hidden" name="lessonId" value={l.id} />
                    <input type="hidden" name="from" value={l.position} />
                    <button type="submit" className="btn-secondary px-3" disabled={i === course.lessons.length - 1} aria-label={t("author.lessons.moveDown", { title: l.title })}>
                      ↓
                    </button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="intent" value="deleteLesson" />
                    <input type="hidden" name="lessonId" value={l.id} />
                    <ConfirmDelete
                      label={t("author.lessons.delete")}
                      question={t("author.lessons.deleteConfirm", { title: l.title })}
                      confirmLabel={t("author.lessons.deleteSubmit", { title: l.title })}
                    />
                  </Form>
                </div>
              </li>
            ))}
          </ol>
        )}
        <Form method="post" className="card mt-4 max-w-xl space-y-3" noValidate>
          <h3 className="font-semibold">{t("author.lessons.addHeading")}</h3>
          <input type="hidden" name="intent" value="addLesson" />
          <div>
            <label htmlFor="lesson-title" className="label">
              {t("author.fields.lessonTitle")}
            </label>
            <input
              id="lesson-title"
              name="title"
              maxLength={200}
              className="input"
              defaultValue={result?.intent === "addLesson" ? result.values?.lessonTitle : undefined}
              aria-invalid={result?.intent === "addLesson" && errors.title ? true : undefined}
              aria-describedby={result?.intent === "addLesson" && errors.title ? "lesson-title-error" : undefined}
            />
            <FieldError id="lesson-title-error" message={result?.intent === "addLesson" && errors.title ? t(errors.title) : undefined} />
          </div>
          <div>
            <label htmlFor="lesson-slug" className="label">
              {t("author.fields.lessonSlug")}
            </label>
            <p id="lesson-slug-help" className="mb-1 text-sm text-slate-600">
              {t("author.lessons.slugHelp")}
            </p>
            <input
              id="lesson-slug"
              name="slug"
              maxLength={80}
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              className="input font-mono"
              defaultValue={result?.intent === "addLesson" ? result.values?.lessonSlug : undefined}
              aria-invalid={result?.intent === "addLesson" && (errors.slug || errors.lessonSlug) ? true : undefined}
              aria-describedby={result?.intent === "addLesson" && (errors.slug || errors.lessonSlug) ? "lesson-slug-help lesson-slug-error" : "lesson-slug-help"}
            />
            <FieldError
              id="lesson-slug-error"
              message={result?.intent === "addLesson" && (errors.slug || errors.lessonSlug) ? t(errors.slug ?? errors.lessonSlug) : undefined}
            />
          </div>
          <button type="submit" className="btn">
            {t("author.lessons.add")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="quiz-heading" className="card">
        <h2 id="quiz-heading" className="text-lg font-semibold">
          {t("author.quiz.heading")}
        </h2>
        <p className="mt-2">{t("author.quiz.summary", { count: course._count.questions, quizSize: course.quizSize })}</p>
        {quizShort ? (
          <p className="mt-2 text-sm text-amber-900">
            <Badge tone="warning">{t("author.quiz.shortBadge")}</Badge> {t("author.quiz.short", { missing: course.quizSize - course._count.questions })}
          </p>
        ) : null}
        <p className="mt-3">
          <Link to={`${base}/quiz`} className="btn-secondary">
            {t("author.quiz.manage")}
          </Link>
        </p>
      </section>

      <section aria-labelledby="settings-heading" className="card">
        <h2 id="settings-heading" className="text-lg font-semibold">
          {t("author.settings.heading")}
        </h2>
        {result?.intent === "settings" && result.ok ? (
          <div className="mt-3">
            <Notice tone="success">{t(result.ok)}</Notice>
          </div>
        ) : null}
        {result?.intent === "settings" && !result.ok ? (
          <div className="mt-3">
            <Notice tone="error">{t("author.errors.fixBelow")}</Notice>
          </div>
        ) : null}
        <Form method="post" className="mt-4 space-y-5" noValidate>
          <input type="hidden" name="intent" value="settings" />
          <fieldset className="grid gap-4 md:grid-cols-2">
            <legend className="mb-2 font-semibold">{t("author.settings.about")}</legend>
            {(["title", "titleEn"] as const).map((name) => (
              <div key={name}>
                <label htmlFor={name} className="label">
                  {t(`author.fields.${name}`)}
                </label>
                <input id={name} name={name} maxLength={200} defaultValue={value(name, course[name])} className="input" {...describe(name)} />
                <FieldError id={`${name}-error`} message={settingsError(name)} />
              </div>
            ))}
            {(["summary", "summaryEn"] as const).map((name) => (
              <div key={name}>
                <label htmlFor={name} className="label">
                  {t(`author.fields.${name}`)}
                </label>
                <textarea id={name} name={name} rows={3} maxLength={600} defaultValue={value(name, course[name])} className="input" {...describe(name)} />
                <FieldError id={`${name}-error`} message={settingsError(name)} />
              </div>
            ))}
            <div>
              <label htmlFor="category-setting" className="label">
                {t("author.fields.category")}
              </label>
              <select id="category-setting" name="category" defaultValue={value("category", course.category)} className="input">
                {CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {t(`categories.${c}`)}
                  </option>
                ))}
              </select>
              <FieldError id="category-error" message={settingsError("category")} />
            </div>
          </fieldset>
          <fieldset className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            <legend className="mb-2 font-semibold">{t("author.settings.rules")}</legend>
            {NUMBER_FIELDS.map((name) => (
              <div key={name}>
                <label htmlFor={name} className="label">
                  {t(`author.fields.${name}`)}
                </label>
                <input id={name} name={name} inputMode="numeric" defaultValue={value(name, course[name])} className="input" {...describe(name, true)} />
                <p id={`${name}-help`} className="mt-1 text-xs text-slate-600">
                  {t(`author.settings.help.${name}`)}
                </p>
                <FieldError id={`${name}-error`} message={settingsError(name)} />
              </div>
            ))}
            <div>
              <label htmlFor="reviewPolicy" className="label">
                {t("author.fields.reviewPolicy")}
              </label>
              <select id="reviewPolicy" name="reviewPolicy" defaultValue={value("reviewPolicy", course.reviewPolicy)} className="input">
                {REVIEW_POLICIES.map((p) => (
                  <option key={p} value={p}>
                    {t(`author.settings.reviewPolicies.${p}`)}
                  </option>
                ))}
              </select>
              <FieldError id="reviewPolicy-error" message={settingsError("reviewPolicy")} />
            </div>
            {(["sequential", "selfEnroll"] as const).map((name) => (
              <div key={name} className="flex items-start gap-2 sm:col-span-2 lg:col-span-3">
                <input id={name} name={name} type="checkbox" defaultChecked={checked(name, course[name])} className="mt-1 h-4 w-4 shrink-0" aria-describedby={`${name}-help`} />
                <div>
                  <label htmlFor={name} className="font-medium">
                    {t(`author.fields.${name}`)}
                  </label>
                  <p id={`${name}-help`} className="text-xs text-slate-600">
                    {t(`author.settings.help.${name}`)}
                  </p>
                </div>
              </div>
            ))}
          </fieldset>
          <div>
            <label htmlFor="intro" className="label">
              {t("author.fields.intro")}
            </label>
            <p id="intro-help" className="mb-1 text-sm text-slate-600">
              {t("author.settings.help.intro")}
            </p>
            <textarea id="intro" name="intro" rows={8} defaultValue={value("intro", course.intro)} className="input font-mono text-sm" spellCheck={false} {...describe("intro", true)} />
            <div id="intro-error" className="mt-2">
              <ProblemList problems={result?.intent === "settings" ? (result.introProblems ?? []) : []} />
              {settingsErrors.intro && !result?.introProblems?.length ? <FieldError id="intro-error-text" message={settingsError("intro")} /> : null}
            </div>
          </div>
          <button type="submit" className="btn">
            {t("author.settings.submit")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="versions-heading" className="card">
        <h2 id="versions-heading" className="text-lg font-semibold">
          {t("author.versions.heading")}
        </h2>
        {course.versions.length === 0 ? (
          <p className="mt-2 text-slate-700">{t("author.versions.empty")}</p>
        ) : (
          <div className="mt-3 overflow-x-auto">
            <table className="table">
              <caption className="sr-only">{t("author.versions.heading")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("author.versions.number")}</th>
                  <th scope="col">{t("author.versions.date")}</th>
                  <th scope="col">{t("author.versions.by")}</th>
                </tr>
              </thead>
              <tbody>
                {course.versions.map((v) => (
                  <tr key={v.id}>
                    <td>
                      {v.number}
                      {course.publishedVersion?.number === v.number ? ` (${t("author.versions.current")})` : ""}
                    </td>
                    <td>{fmt.dateTime(v.publishedAt)}</td>
                    <td>{v.publishedBy ?? t("author.versions.bySync")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
