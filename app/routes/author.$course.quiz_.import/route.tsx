import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { authorMeta } from "~/components/author/meta";
import { Breadcrumbs } from "~/components/author/ui";
import { TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { requireEditableCourse } from "~/content/authoring-access.server";
import { applyImport, importLimiter, MAX_QUESTION_FILE_BYTES, previewImport, type Problem } from "~/content/question-bank/question-import.server";
import { countRequest } from "~/platform/rate-limit.server";
import { field, idParam } from "~/platform/request.server";
import { useT } from "~/utils/i18n";
import { ImportPreview, ProblemItems, type PreviewView } from "./preview";
import "~/locales/author";
import "~/locales/question-bank";

export const meta: MetaFunction = ({ matches }) => authorMeta(matches, (t) => t("qbank.importTitle"));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { course } = await requireEditableCourse(request, context, params.course);
  return { course: { slug: course.slug, title: course.title }, maxMb: MAX_QUESTION_FILE_BYTES / 1024 / 1024 };
}

type ActionResult = {
  error?: { key: string; params?: Record<string, string | number> };
  refused?: { file: string; problems: Problem[]; changed: boolean };
  preview?: PreviewView;
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const editing = await requireEditableCourse(request, context, params.course);
  // The platform's parser: the body is already capped (server/guards.ts); a truncated or malformed body is a 400.
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return data<ActionResult>({ error: { key: "qbank.badForm" } }, { status: 400 });
  }
  const intent = field(form, "intent");
  if (intent === "apply") {
    // The upload was kept at preview: "apply" names it, so the file is not sent twice and a
    // second "apply" of the same preview finds it applied.
    const result = await applyImport(editing, idParam(field(form, "upload", 12)));
    if (result.ok) return redirect(`/author/${editing.course.slug}/quiz?imported=${result.added}${result.already ? "&again=1" : ""}`);
    if (result.expired) return data<ActionResult>({ error: { key: "qbank.expired" } }, { status: 410 });
    return data<ActionResult>({ refused: { file: "", problems: result.problems, changed: true } }, { status: 409 });
  }
  if (intent !== "check") return data<ActionResult>({ error: { key: "author.errors.invalid" } }, { status: 400 });
  const wait = await countRequest(importLimiter, String(editing.user.id));
  if (wait > 0) return data<ActionResult>({ error: { key: "qbank.throttled", params: { minutes: Math.ceil(wait / 60) } } }, { status: 429, headers: { "Retry-After": String(wait) } });
  const upload = form.get("file");
  if (!(upload instanceof File) || upload.size === 0) return data<ActionResult>({ error: { key: "qbank.noFile" } }, { status: 400 });
  if (upload.size > MAX_QUESTION_FILE_BYTES) return data<ActionResult>({ error: { key: "qbank.errors.tooLarge", params: { mb: MAX_QUESTION_FILE_BYTES / 1024 / 1024 } } }, { status: 413 });
  const result = await previewImport(editing, upload.name, new Uint8Array(await upload.arrayBuffer()));
  if (!result.ok) return data<ActionResult>({ refused: { file: result.fileName, problems: result.problems, changed: false } }, { status: 400 });
  const { plan } = result;
  const preview: PreviewView = {
    uploadId: result.uploadId,
    fileName: result.fileName,
    format: plan.format,
    encoding: plan.encoding,
    categories: plan.categories.slice(0, 50),
    questions: plan.questions.map((q) => ({
      position: q.position,
      key: q.key,
      category: q.category,
      type: q.type,
      prompt: q.prompt.length > 300 ? `${q.prompt.slice(0, 300)}…` : q.prompt,
      choices: q.choices.length,
      image: q.image ? { name: q.image.name, kb: Math.max(1, Math.round(q.image.size / 1024)), reused: q.image.reused } : null,
      duplicate: q.duplicate,
    })),
    skipped: plan.skipped,
  };
  return data<ActionResult>({ preview });
}

export default function ImportQuestions() {
  const { course, maxMb } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const base = `/author/${course.slug}`;
  return (
    <div className="space-y-6">
      <Breadcrumbs
        items={[
          { to: "/author", label: t("author.title") },
          { to: base, label: course.title },
          { to: `${base}/quiz`, label: t("author.quiz.heading") },
          { label: t("qbank.importTitle") },
        ]}
      />
      <h1 className="text-2xl font-bold text-brand-800">{t("qbank.pageTitle", { course: course.title })}</h1>
      <p className="text-slate-700">{t("qbank.intro")}</p>

      <section className="card space-y-3" aria-labelledby="upload-heading">
        <h2 id="upload-heading" className="text-lg font-semibold">
          {t("qbank.formatsHeading")}
        </h2>
        <p className="text-sm text-slate-700">{t("qbank.formatsHelp", { mb: maxMb })}</p>
        <p className="flex flex-wrap gap-4 text-sm">
          <a href={`${base}/quiz/template?format=xlsx`} download>
            {t("qbank.templateXlsx")}
          </a>
          <a href={`${base}/quiz/template?format=csv`} download>
            {t("qbank.templateCsv")}
          </a>
        </p>
        {result?.error ? <Notice tone="error">{t(result.error.key, result.error.params)}</Notice> : null}
        {result?.refused ? (
          <Notice tone="error" as="div">
            <p className="font-semibold">{result.refused.changed ? t("qbank.changed") : t("qbank.refused", { file: result.refused.file })}</p>
            <ul className="mt-2 list-disc space-y-1 pl-5">
              <ProblemItems problems={result.refused.problems} />
            </ul>
            <p className="mt-2">{t("qbank.refusedHint")}</p>
          </Notice>
        ) : null}
        <Form method="post" encType="multipart/form-data" className="space-y-3">
          <TextField
            id="file"
            label={t("qbank.file")}
            name="file"
            type="file"
            required
            accept=".xml,.txt,.gift,.csv,.xlsx,text/xml,application/xml,text/plain,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            className="block text-sm"
          />
          <button type="submit" name="intent" value="check" className="btn" disabled={busy}>
            {t("qbank.check")}
          </button>
        </Form>
      </section>

      {result?.preview ? <ImportPreview preview={result.preview} /> : null}
      <p>
        <Link to={`${base}/quiz`}>← {t("qbank.backToBank")}</Link>
      </p>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
