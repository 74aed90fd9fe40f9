import {
  data,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useSearchParams, type ShouldRevalidateFunction } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { authorMeta } from "~/components/author/meta";
import { Badge, Breadcrumbs, ProblemList, type ProblemView } from "~/components/author/ui";
import { SourceEditor, type SourceEditorHandle } from "~/components/author/SourceEditor";
import { TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { requireEditableCourse } from "~/content/authoring-access.server";
import { lessonValues, type LessonValues } from "~/content/authoring-forms.server";
import { getLessonBySlug, listMedia } from "~/content/authoring.data.server";
import { lessonNeedsSave, mediaSnippet, previewLesson, saveLesson, uploadMedia } from "~/content/authoring.server";
import type { FieldErrors } from "~/platform/forms.server";
import { field, notFound } from "~/platform/request.server";
import { MAX_MEDIA_BYTES, MEDIA_ACCEPT, MEDIA_LIMITS, mediaKindOf } from "~/utils/media";
import { SLUG } from "~/utils/course";
import { useFormat, useT } from "~/utils/i18n";
import "~/locales/author";
import "~/locales/lesson-media";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => authorMeta(matches, (t) => data?.lesson.title ?? t("author.title"));

async function requireLesson(request: Request, context: LoaderFunctionArgs["context"], params: LoaderFunctionArgs["params"]) {
  const actor = await requireEditableCourse(request, context, params.course);
  const slug = params.lesson ?? "";
  const lesson = slug.length <= 100 && SLUG.test(slug) ? await getLessonBySlug(actor.course.id, slug) : null;
  if (!lesson) throw notFound();
  return { actor, lesson };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, lesson } = await requireLesson(request, context, params);
  const media = await listMedia(actor.course.id);
  return {
    course: { slug: actor.course.slug, title: actor.course.title },
    lesson: { ...lesson, needsSave: lessonNeedsSave(lesson) },
    media: media.map((m) => ({ ...m, kind: mediaKindOf(m.mime), snippet: mediaSnippet(actor.course.slug, m.name, m.mime) })),
    limitsMb: Object.fromEntries(Object.entries(MEDIA_LIMITS).map(([kind, bytes]) => [kind, Math.round((10 * bytes) / 1024 / 1024) / 10])),
  };
}

type LessonActionResult = {
  intent: "preview" | "save";
  html?: string;
  saved?: boolean;
  errors?: FieldErrors;
  problems?: ProblemView[];
  values?: LessonValues;
};
type UploadActionResult = { intent: "upload"; name?: string; snippet?: string; error?: string; params?: Record<string, number> };
type ActionResult = LessonActionResult | UploadActionResult;

function isTooLarge(error: unknown): boolean {
  return error instanceof MaxPartSizeExceededError || (error instanceof Error && /exceeded upload size/.test(error.message));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, lesson } = await requireLesson(request, context, params);

  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_MEDIA_BYTES }));
    } catch (error) {
      // A malformed or truncated body is the sender's fault: 400, never 500.
      if (!isTooLarge(error)) return data<ActionResult>({ intent: "upload", error: "security.badForm" }, { status: 400 });
      return data<ActionResult>({ intent: "upload", error: "lessonMedia.errors.overLimit", params: { mb: MAX_MEDIA_BYTES / 1024 / 1024 } }, { status: 413 });
    }
    const result = await uploadMedia(actor, form.get("file"));
    if (!result.ok) return data<ActionResult>({ intent: "upload", error: result.error, params: result.params }, { status: result.status });
    return data<ActionResult>({ intent: "upload", name: result.name, snippet: mediaSnippet(actor.course.slug, result.name, result.mime) });
  }

  const form = await request.formData();
  const intent = field(form, "intent");
  if (intent !== "preview" && intent !== "save") return data<ActionResult>({ intent: "preview", errors: { _: "author.errors.invalid" } }, { status: 400 });
  const result = intent === "save" ? await saveLesson(actor, lesson.id, form) : await previewLesson(actor, form);
  if (result.ok) return data<ActionResult>({ intent, html: result.html, saved: result.saved });
  return data<ActionResult>({ intent, errors: result.errors, problems: result.problems, values: lessonValues(form) }, { status: 400 });
}

// A live preview changes nothing, so the page's data need not be reloaded after it.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "preview" ? false : defaultShouldRevalidate;

const LIVE_PREVIEW_DELAY_MS = 800;

export default function LessonEditor() {
  const { course, lesson, media, limitsMb } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const fmt = useFormat();
  const base = `/author/${course.slug}`;

  const result = actionData && actionData.intent !== "upload" ? (actionData as LessonActionResult) : null;
  const upload = actionData?.intent === "upload" ? (actionData as UploadActionResult) : null;

  // With JavaScript the preview follows the typing; without it the Preview button does the same.
  const fetcher = useFetcher<typeof action>();
  const [live, setLive] = useState<LessonActionResult | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const editor = useRef<SourceEditorHandle>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => {
    if (fetcher.data && fetcher.data.intent === "preview") setLive(fetcher.data as LessonActionResult);
  }, [fetcher.data]);
  useEffect(() => setLive(null), [actionData]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const schedulePreview = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (!formRef.current) return;
      const body = new FormData(formRef.current);
      body.set("intent", "preview");
      fetcher.submit(body, { method: "post" });
    }, LIVE_PREVIEW_DELAY_MS);
  };

  const shown = live ?? result;
  const values = result?.values;
  const errors: FieldErrors = result?.errors ?? {};
  const fieldError = (name: string) => (errors[name] ? t(errors[name]) : undefined);
  const problems = shown?.problems ?? [];
  const previewHtml = shown?.html ?? (shown ? null : lesson.html || null);

  return (
    <div className="space-y-6">
      <Breadcrumbs items={[{ to: "/author", label: t("author.title") }, { to: base, label: course.title }, { label: lesson.title }]} />
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold break-words text-brand-800">{t("author.lesson.heading", { title: lesson.title })}</h1>
        {lesson.needsSave ? <Badge tone="warning">{t("author.lessons.needsSave")}</Badge> : null}
      </div>
      {params.get("created") && !actionData ? <Notice tone="success">{t("author.lesson.created")}</Notice> : null}
      {result?.saved ? <Notice tone="success">{t("author.lesson.saved")}</Notice> : null}
      {result?.intent === "save" && !result.saved && (problems.length || Object.keys(errors).length) ? (
        <Notice tone="error">{t("author.lesson.notSaved")}</Notice>
      ) : null}
      {errors._ ? <Notice tone="error">{t(errors._)}</Notice> : null}

      <Form method="post" ref={formRef} onChange={schedulePreview} className="card space-y-4" noValidate>
        <div className="grid gap-4 md:grid-cols-[2fr_2fr_1fr]">
          <TextField id="title" label={t("author.fields.lessonTitle")} error={fieldError("title")} name="title" maxLength={200} defaultValue={values?.title ?? lesson.title} />
          <TextField id="titleEn" label={t("author.fields.titleEn")} error={fieldError("titleEn")} name="titleEn" maxLength={200} defaultValue={values?.titleEn ?? lesson.titleEn} />
          <TextField id="minutes" label={t("author.fields.minutes")} error={fieldError("minutes")} name="minutes" inputMode="numeric" defaultValue={values?.minutes ?? String(lesson.minutes)} />
        </div>
        <SourceEditor
          ref={editor}
          id="source"
          name="source"
          label={t("author.lesson.source")}
          hint={
            <>
              {t("author.lesson.sourceHelp")}{" "}
              <a href="/author/guide" target="_blank" rel="noopener" className="underline">
                {t("author.guideLink")}
              </a>
            </>
          }
          rows={22}
          defaultValue={values?.source ?? lesson.source}
          invalid={problems.length > 0}
          describedBy={problems.length ? "source-help source-problems" : "source-help"}
        />
        <div aria-live="polite">
          <ProblemList id="source-problems" problems={problems} onJump={(line, column) => editor.current?.jumpTo(line, column)} />
        </div>
        <div className="flex flex-wrap gap-3">
          <button type="submit" name="intent" value="preview" className="btn-secondary">
            {t("author.lesson.preview")}
          </button>
          <button type="submit" name="intent" value="save" className="btn">
            {t("author.lesson.save")}
          </button>
        </div>
        <p className="text-sm text-slate-600">{t("author.lesson.draftNote")}</p>
      </Form>

      <section aria-labelledby="preview-heading" className="card">
        <h2 id="preview-heading" className="text-lg font-semibold">
          {shown ? t("author.lesson.previewHeading") : t("author.lesson.savedHeading")}
        </h2>
        {previewHtml ? (
          <div className="lesson-body mt-4 max-w-3xl" dangerouslySetInnerHTML={{ __html: previewHtml }} />
        ) : (
          <p className="mt-2 text-slate-700">{problems.length ? t("author.lesson.previewBlocked") : t("author.lesson.nothingYet")}</p>
        )}
      </section>

      <section aria-labelledby="media-heading" className="card space-y-4">
        <h2 id="media-heading" className="text-lg font-semibold">
          {t("lessonMedia.heading")}
        </h2>
        <p className="text-sm text-slate-700">{t("lessonMedia.help", limitsMb)}</p>
        {upload?.error ? <Notice tone="error">{t(upload.error, { mb: limitsMb.image, ...upload.params })}</Notice> : null}
        {upload?.snippet ? (
          <Notice tone="success" as="div">
            <p>{t("lessonMedia.uploaded", { name: upload.name })}</p>
            <p className="mt-1">{t("lessonMedia.paste")}</p>
            <code className="mt-1 block break-all rounded bg-white p-2 text-slate-900">{upload.snippet}</code>
          </Notice>
        ) : null}
        <Form method="post" encType="multipart/form-data" className="flex flex-wrap items-end gap-3">
          <TextField id="file" label={t("lessonMedia.file")} name="file" type="file" accept={MEDIA_ACCEPT} required className="block max-w-full text-sm" />
          <button type="submit" className="btn-secondary">
            {t("lessonMedia.upload")}
          </button>
        </Form>
        {media.length ? (
          <ul className="divide-y divide-slate-200 rounded border border-slate-200">
            {media.map((m) => (
              <li key={m.id} className="flex flex-col gap-2 p-3 sm:flex-row sm:items-center">
                {m.kind === "image" ? (
                  <img src={`/media/${course.slug}/${m.name}`} alt="" loading="lazy" className="h-16 w-16 shrink-0 rounded border border-slate-200 object-contain" />
                ) : (
                  <span className="flex h-16 w-16 shrink-0 items-center justify-center rounded border border-slate-200 bg-slate-50 text-xs font-semibold uppercase text-slate-700">
                    {t(`lessonMedia.kinds.${m.kind ?? "image"}`)}
                  </span>
                )}
                <div className="min-w-0 text-sm">
                  <p className="font-medium break-all">{m.name}</p>
                  <p className="text-xs text-slate-600">
                    {t("author.media.meta", { kb: fmt.number(Math.ceil(m.size / 1024)), date: fmt.date(m.createdAt) })}
                  </p>
                  <code className="mt-1 block break-all text-xs text-slate-800">{m.snippet}</code>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-700">{t("lessonMedia.empty")}</p>
        )}
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
