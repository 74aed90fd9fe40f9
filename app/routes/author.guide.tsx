import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { authorMeta } from "~/components/author/meta";
import { Breadcrumbs } from "~/components/author/ui";
import { requireAuthor } from "~/content/authoring-access.server";
import { authoringGuide } from "~/content/authoring-guide.server";
import { MAX_CHOICES, MAX_IMAGE_BYTES } from "~/utils/authoring";
import { translate, useT } from "~/utils/i18n";
import { MEDIA_LIMITS } from "~/utils/media";
import "~/locales/author";
import "~/locales/lesson-media";

export const meta: MetaFunction = ({ matches }) => authorMeta(matches, (t) => t("author.guide.title"));

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAuthor(request, context);
  const mediaLimitsMb = Object.fromEntries(Object.entries(MEDIA_LIMITS).map(([kind, bytes]) => [kind, Math.round((10 * bytes) / 1024 / 1024) / 10]));
  return { guide: await authoringGuide(), maxImageMb: MAX_IMAGE_BYTES / 1024 / 1024, maxChoices: MAX_CHOICES, mediaLimitsMb };
}

/** Guide text marks code with `backticks`; it is shown as <code>, everything else as text. */
function Rich({ text }: { text: string }) {
  return (
    <>
      {text.split(/(`[^`]+`)/).map((part, i) =>
        part.startsWith("`") && part.endsWith("`") ? (
          <code key={i} className="rounded bg-slate-100 px-1 text-[0.9em]">
            {part.slice(1, -1)}
          </code>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

// Focusable so that keyboard users can scroll a long line sideways.
function Source({ code, label }: { code: string; label: string }) {
  return (
    <pre role="region" aria-label={label} tabIndex={0} className="overflow-x-auto rounded-md bg-slate-900 p-3 text-sm text-slate-50">
      <code>{code}</code>
    </pre>
  );
}

const SETTINGS = ["title", "summary", "category", "estimatedMinutes", "validityMonths", "passingScore", "quizSize", "maxAttempts", "retryWaitMinutes", "timeLimitMinutes", "sequential", "selfEnroll", "reviewPolicy", "intro"] as const;
const SECTIONS = ["workflow", "settings", "lessons", "markdown", "components", "media", "quiz", "publish", "mistakes"] as const;

export default function AuthoringGuide() {
  const { guide, maxImageMb, maxChoices, mediaLimitsMb } = useLoaderData<typeof loader>();
  const t = useT();
  const g = (key: string, options?: Record<string, unknown>) => t(`author.guide.${key}`, options ?? {});
  const settingHelp = (name: (typeof SETTINGS)[number]) =>
    name === "title" || name === "summary" || name === "category" ? g(`settingsText.${name}`) : t(`author.settings.help.${name}`);

  return (
    <article className="mx-auto max-w-4xl space-y-10">
      <Breadcrumbs items={[{ to: "/author", label: t("author.title") }, { label: g("title") }]} />
      <header>
        <h1 className="text-2xl font-bold text-brand-800">{g("title")}</h1>
        <p className="mt-2 text-slate-700">
          <Rich text={g("intro")} />
        </p>
        <nav aria-labelledby="toc-heading" className="mt-4 rounded border border-slate-200 bg-white p-4">
          <h2 id="toc-heading" className="font-semibold">
            {g("toc")}
          </h2>
          <ol className="mt-2 list-decimal space-y-1 pl-6">
            {SECTIONS.map((s) => (
              <li key={s}>
                <a href={`#${s}`}>{g(`sections.${s}`)}</a>
              </li>
            ))}
          </ol>
        </nav>
      </header>

      <section id="workflow" aria-labelledby="workflow-heading" className="space-y-3">
        <h2 id="workflow-heading" className="text-xl font-bold">
          {g("sections.workflow")}
        </h2>
        <ol className="list-decimal space-y-2 pl-6">
          {[1, 2, 3, 4, 5, 6].map((n) => (
            <li key={n}>
              <Rich text={g(`workflow.step${n}`)} />
            </li>
          ))}
        </ol>
        <p>
          <Rich text={g("workflow.drafts")} />
        </p>
      </section>

      <section id="settings" aria-labelledby="settings-heading" className="space-y-3">
        <h2 id="settings-heading" className="text-xl font-bold">
          {g("sections.settings")}
        </h2>
        <p>
          <Rich text={g("settingsText.intro")} />
        </p>
        <dl className="divide-y divide-slate-200 rounded border border-slate-200 bg-white">
          {SETTINGS.map((name) => (
            <div key={name} className="grid gap-1 p-3 sm:grid-cols-[14rem_minmax(0,1fr)]">
              <dt className="font-semibold">
                {t(`author.fields.${name}`)} <code className="text-xs font-normal text-slate-600">{name}</code>
              </dt>
              <dd className="text-slate-800">{settingHelp(name)}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section id="lessons" aria-labelledby="lessons-heading" className="space-y-3">
        <h2 id="lessons-heading" className="text-xl font-bold">
          {g("sections.lessons")}
        </h2>
        {[1, 2, 3, 4].map((n) => (
          <p key={n}>
            <Rich text={g(`lessons.p${n}`)} />
          </p>
        ))}
      </section>

      <section id="markdown" aria-labelledby="markdown-heading" className="space-y-3">
        <h2 id="markdown-heading" className="text-xl font-bold">
          {g("sections.markdown")}
        </h2>
        <p>
          <Rich text={g("markdown.intro")} />
        </p>
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          <Source code={guide.markdown.source} label={g("sourceLabel", { name: "Markdown" })} />
          <div className="lesson-body rounded border border-slate-200 bg-white p-4" dangerouslySetInnerHTML={{ __html: guide.markdown.html ?? "" }} />
        </div>
      </section>

      <section id="components" aria-labelledby="components-heading" className="space-y-6">
        <h2 id="components-heading" className="text-xl font-bold">
          {g("sections.components")}
        </h2>
        <p>
          <Rich text={g("componentsIntro")} />
        </p>
        {guide.components.map((c) => (
          <section key={c.name} aria-labelledby={`component-${c.name}`} className="card space-y-3">
            <h3 id={`component-${c.name}`} className="font-mono text-lg font-semibold">
              {`<${c.name}>`}
            </h3>
            <p>
              <Rich text={g(`components.${c.name}`, { defaultValue: "" })} />
            </p>
            {c.props.length ? (
              <div className="overflow-x-auto">
                <table className="table">
                  <caption className="sr-only">{g("propsCaption", { name: c.name })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{g("propName")}</th>
                      <th scope="col">{g("propValues")}</th>
                      <th scope="col">{g("propRequired")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.props.map((p) => (
                      <tr key={p.name}>
                        <td>
                          <code>{p.name}</code>
                        </td>
                        <td>
                          {p.values === "text" ? g("valuesText") : p.values === "media-path" ? <Rich text={p.media && p.media !== "image" ? t("lessonMedia.guide.valuesMedia", { kind: t(`lessonMedia.kindNames.${p.media}`) }) : g("valuesMedia")} /> : <code>{p.values}</code>}
                          {p.default ? ` ${g("defaultValue", { value: p.default })}` : ""}
                        </td>
                        <td>{p.required ? g("yes") : g("no")}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="text-sm text-slate-700">{g("noProps")}</p>
            )}
            <p className="text-sm text-slate-700">{c.children ? g("hasChildren") : g("noChildren", { name: c.name })}</p>
            <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
              <div>
                <h4 className="mb-1 text-sm font-semibold">{g("source")}</h4>
                <Source code={c.source} label={g("sourceLabel", { name: c.name })} />
              </div>
              <div>
                <h4 className="mb-1 text-sm font-semibold">{g("result")}</h4>
                {c.html ? (
                  <div className="lesson-body rounded border border-slate-200 bg-white px-4" dangerouslySetInnerHTML={{ __html: c.html }} />
                ) : (
                  <ul className="list-disc pl-5 text-sm text-red-800">
                    {c.problems.map((p, j) => (
                      <li key={j}>{t("author.lesson.problemAt", { line: p.line, column: p.column, message: translate(t, p) })}</li>
                    ))}
                  </ul>
                )}
              </div>
            </div>
          </section>
        ))}
      </section>

      <section id="media" aria-labelledby="media-heading" className="space-y-3">
        <h2 id="media-heading" className="text-xl font-bold">
          {g("sections.media")}
        </h2>
        {[1, 2, 3].map((n) => (
          <p key={n}>
            <Rich text={g(`media.p${n}`, { mb: maxImageMb })} />
          </p>
        ))}
        <h3 className="pt-2 text-lg font-semibold">{t("lessonMedia.guide.heading")}</h3>
        {(["p1", "p2", "p3", "p4", "p5"] as const).map((p) => (
          <p key={p}>
            <Rich text={t(`lessonMedia.guide.${p}`, mediaLimitsMb)} />
          </p>
        ))}
      </section>

      <section id="quiz" aria-labelledby="quiz-heading" className="space-y-3">
        <h2 id="quiz-heading" className="text-xl font-bold">
          {g("sections.quiz")}
        </h2>
        <p>
          <Rich text={g("quiz.intro", { max: maxChoices })} />
        </p>
        <ul className="list-disc space-y-1 pl-6">
          {(["single", "multiple", "truefalse"] as const).map((type) => (
            <li key={type}>
              <strong>{t(`author.quiz.types.${type}`)}</strong>: <Rich text={g(`quiz.${type}`)} />
            </li>
          ))}
        </ul>
        <p>
          <Rich text={g("quiz.bank")} />
        </p>
      </section>

      <section id="publish" aria-labelledby="publish-heading" className="space-y-3">
        <h2 id="publish-heading" className="text-xl font-bold">
          {g("sections.publish")}
        </h2>
        {[1, 2, 3, 4].map((n) => (
          <p key={n}>
            <Rich text={g(`publish.p${n}`)} />
          </p>
        ))}
      </section>

      <section id="mistakes" aria-labelledby="mistakes-heading" className="space-y-4">
        <h2 id="mistakes-heading" className="text-xl font-bold">
          {g("sections.mistakes")}
        </h2>
        <p>
          <Rich text={g("mistakesIntro")} />
        </p>
        <ol className="space-y-4">
          {guide.mistakes.map((m, i) => (
            <li key={i} className="card space-y-2">
              <h3 className="font-semibold">{g(`mistakes.m${i + 1}.title`, { defaultValue: g("mistakeN", { n: i + 1 }) })}</h3>
              <Source code={m.source} label={g("sourceLabel", { name: g("mistakeN", { n: i + 1 }) })} />
              <ul className="list-disc pl-5 text-sm text-red-900">
                {m.problems.map((p, j) => (
                  <li key={j}>{t("author.lesson.problemAt", { line: p.line, column: p.column, message: translate(t, p) })}</li>
                ))}
              </ul>
              <p className="text-sm">
                <strong>{g("fix")}:</strong> <Rich text={g(`mistakes.m${i + 1}.fix`, { defaultValue: "" })} />
              </p>
            </li>
          ))}
        </ol>
        <h3 className="text-lg font-semibold">{g("otherErrors")}</h3>
        <ul className="list-disc space-y-2 pl-6">
          {[1, 2, 3, 4, 5, 6, 7].map((n) => (
            <li key={n}>
              <Rich text={g(`other.e${n}`)} />
            </li>
          ))}
        </ul>
      </section>
      <p>
        <Link to="/author">← {t("author.title")}</Link>
      </p>
    </article>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
