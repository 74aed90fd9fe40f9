import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { authorMeta } from "~/components/author/meta";
import { Badge, Breadcrumbs } from "~/components/author/ui";
import { Notice } from "~/components/ui/Notice";
import { requireEditableCourse } from "~/content/authoring-access.server";
import { scopePaths } from "~/identity/authorize.server";
import { quizStats } from "~/learning/question-stats.server";
import { INTL_LOCALE, LANGUAGES, langFromRequest, useFormat, useLang, useT } from "~/utils/i18n";
import { ATTEMPT_SETS, TOO_EASY_AT_LEAST, TOO_HARD_AT_MOST } from "~/utils/question-stats";
import "~/locales/author";
import "~/locales/question-stats";

// How each question of a published version performs, for the course's trainer. No learner is
// named: figures only.
export const meta: MetaFunction = ({ matches }) => authorMeta(matches, (t) => t("questionStats.title"));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, course } = await requireEditableCourse(request, context, params.course);
  const url = new URL(request.url);
  const set = url.searchParams.get("attempts") === "first" ? "first" : "all";
  const stats = await quizStats({ courseId: course.id, paths: scopePaths(user, "course.author"), lang: langFromRequest(request) }, url.searchParams.get("version"), set);
  return { course: { slug: course.slug, title: course.title }, stats };
}

type Stats = ReturnType<typeof useLoaderData<typeof loader>>["stats"];

export default function QuestionStats() {
  const { course, stats } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormat();
  const base = `/author/${course.slug}`;
  const version = stats.version;
  const exportQuery = version ? `?version=${version.id}&attempts=${stats.set}&format=csv` : "";

  return (
    <div className="space-y-6">
      <Breadcrumbs
        items={[
          { to: "/author", label: t("author.title") },
          { to: base, label: course.title },
          { to: `${base}/quiz`, label: t("author.quiz.heading") },
          { label: t("questionStats.title") },
        ]}
      />
      <h1 className="text-2xl font-bold text-brand-800">{t("questionStats.pageTitle", { course: course.title })}</h1>
      <p className="text-slate-700">{t("questionStats.intro")}</p>

      {version ? (
        <Form method="get" className="card flex flex-wrap items-end gap-4">
          <div>
            <label htmlFor="version" className="label">
              {t("questionStats.version")}
            </label>
            <select id="version" name="version" defaultValue={version.id} className="input">
              {stats.versions.map((v) => (
                <option key={v.id} value={v.id}>
                  {t("questionStats.versionOption", { number: v.number, date: fmt.date(v.publishedAt) })}
                  {v.current ? t("questionStats.currentMark") : ""}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="attempts" className="label">
              {t("questionStats.attemptSet")}
            </label>
            <select id="attempts" name="attempts" defaultValue={stats.set} className="input">
              {ATTEMPT_SETS.map((s) => (
                <option key={s} value={s}>
                  {t(`questionStats.sets.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn">
            {t("questionStats.show")}
          </button>
          <a href={`${base}/quiz/stats/export${exportQuery}`} className="btn-secondary" download>
            {t("questionStats.download")}
          </a>
        </Form>
      ) : (
        <Notice tone="warning" announce={false}>
          {t("questionStats.notPublished")}
        </Notice>
      )}

      {version && stats.attempts === 0 ? (
        <Notice tone="warning" announce={false}>
          {t("questionStats.noAttempts")}
        </Notice>
      ) : null}

      {version && stats.attempts > 0 ? (
        <>
          <p className="font-medium">
            {t("questionStats.summary", {
              attempts: fmt.number(stats.attempts),
              passed: fmt.number(stats.passedAttempts),
              average: stats.averageScore === null ? "—" : fmt.number(Math.round(stats.averageScore)),
            })}
          </p>
          <ScoreDistribution bands={stats.bands} total={stats.attempts} />
          <UnitPassRates units={stats.units} />
        </>
      ) : null}

      {version ? <QuestionList questions={stats.questions} /> : null}
    </div>
  );
}

/** A table whose rows carry a bar: screen readers read the numbers, the eye reads the bars. */
function ScoreDistribution({ bands, total }: { bands: number[]; total: number }) {
  const t = useT();
  const fmt = useFormat();
  const most = Math.max(1, ...bands);
  return (
    <section aria-labelledby="distribution-heading" className="card">
      <h2 id="distribution-heading" className="text-lg font-semibold">
        {t("questionStats.distributionHeading")}
      </h2>
      <table className="mt-3 w-full text-sm">
        <caption className="sr-only">{t("questionStats.distributionCaption")}</caption>
        <thead>
          <tr className="text-left text-slate-600">
            <th scope="col" className="w-20 py-1 font-medium">
              {t("questionStats.band")}
            </th>
            <th scope="col" className="py-1 font-medium">
              {t("questionStats.attemptsCol")}
            </th>
          </tr>
        </thead>
        <tbody>
          {bands.map((count, band) => (
            <tr key={band}>
              <th scope="row" className="py-1 pr-2 text-left font-normal whitespace-nowrap tabular-nums">
                {t("questionStats.bandLabel", { from: band * 10, to: band === 9 ? 100 : band * 10 + 9 })}
              </th>
              <td className="py-1">
                <div className="flex items-center gap-2">
                  <div aria-hidden="true" className="h-4 rounded-sm bg-brand-700" style={{ width: `${(70 * count) / most}%`, minWidth: count ? "2px" : 0 }} />
                  <span className="tabular-nums">
                    {fmt.number(count)} <span className="text-slate-600">({fmt.percent(count / total)})</span>
                  </span>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function UnitPassRates({ units }: { units: Stats["units"] }) {
  const t = useT();
  const fmt = useFormat();
  return (
    <section aria-labelledby="units-heading" className="card">
      <h2 id="units-heading" className="text-lg font-semibold">
        {t("questionStats.unitsHeading")}
      </h2>
      <p className="mt-1 text-sm text-slate-700">{t("questionStats.unitsIntro")}</p>
      <div className="mt-3 overflow-x-auto">
        <table className="w-full text-sm">
          <thead>
            <tr className="border-b text-left text-slate-600">
              <th scope="col" className="py-1 pr-2 font-medium">
                {t("questionStats.unit")}
              </th>
              <th scope="col" className="py-1 pr-2 text-right font-medium">
                {t("questionStats.learners")}
              </th>
              <th scope="col" className="py-1 pr-2 text-right font-medium">
                {t("questionStats.passed")}
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                {t("questionStats.passRate")}
              </th>
            </tr>
          </thead>
          <tbody>
            {units.map((u) => (
              <tr key={u.code ?? "other"} className="border-b border-slate-100">
                <th scope="row" className="py-1 pr-2 text-left font-normal">
                  {u.code === null ? t("questionStats.otherUnits") : (u.name ?? u.code)}
                </th>
                <td className="py-1 pr-2 text-right tabular-nums">{fmt.number(u.learners)}</td>
                <td className="py-1 pr-2 text-right tabular-nums">{fmt.number(u.passed)}</td>
                <td className="py-1 text-right tabular-nums">{fmt.percent(u.passed / u.learners)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

// Figures to one decimal in the reader's language (80,0 % in Vietnamese): made once per language.
const ONE_DECIMAL = Object.fromEntries(LANGUAGES.map((l) => [l, new Intl.NumberFormat(INTL_LOCALE[l], { minimumFractionDigits: 1, maximumFractionDigits: 1 })]));

function QuestionList({ questions }: { questions: Stats["questions"] }) {
  const t = useT();
  const fmt = useFormat();
  const decimal = ONE_DECIMAL[useLang()];
  return (
    <section aria-labelledby="questions-heading" className="space-y-3">
      <h2 id="questions-heading" className="text-lg font-semibold">
        {t("questionStats.questionsHeading", { count: questions.length })}
      </h2>
      <p className="text-sm text-slate-700">{t("questionStats.thresholds", { easy: TOO_EASY_AT_LEAST, hard: TOO_HARD_AT_MOST })}</p>
      <ol className="space-y-3">
        {questions.map((q) => (
          <li key={q.key} className="card">
            <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
              <code className="font-semibold text-slate-800">{q.key}</code>
              {q.flags.length ? (
                <>
                  <span className="sr-only">{t("questionStats.flagged")}:</span>
                  {q.flags.map((f) => (
                    <Badge key={f} tone="warning">
                      {t(`questionStats.flags.${f}`)}
                    </Badge>
                  ))}
                </>
              ) : null}
            </div>
            <p className="mt-2 font-medium whitespace-pre-line">{q.prompt}</p>
            {q.attempts === 0 ? (
              <p className="mt-2 text-sm text-slate-700">{t("questionStats.neverDrawn")}</p>
            ) : (
              <>
                <dl className="mt-2 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-3">
                  <div>
                    <dt className="text-slate-600">{t("questionStats.appeared")}</dt>
                    <dd className="font-semibold tabular-nums">{t("questionStats.appearedValue", { count: fmt.number(q.attempts) })}</dd>
                  </div>
                  <div>
                    <dt className="text-slate-600">{t("questionStats.facility")}</dt>
                    <dd className="font-semibold tabular-nums">{q.facility === null ? "—" : `${decimal.format(q.facility)}%`}</dd>
                  </div>
                  <div>
                    <dt className="text-slate-600">{t("questionStats.discrimination")}</dt>
                    <dd className="font-semibold tabular-nums">{q.discrimination === null ? t("questionStats.notComputable") : `${decimal.format(q.discrimination)}%`}</dd>
                  </div>
                </dl>
                <h3 className="mt-3 text-sm font-semibold">{t("questionStats.choices")}</h3>
                <ul className="mt-1 space-y-1 text-sm">
                  {q.choices.map((c) => (
                    <li key={c.id}>
                      <div className={c.correct ? "font-semibold text-green-900" : "text-slate-800"}>
                        <span aria-hidden="true">{c.correct ? "✓ " : "○ "}</span>
                        {c.text}
                        {c.correct ? <span className="sr-only"> ({t("questionStats.correctChoice")})</span> : null}
                        <span className="ml-2 font-normal text-slate-600 tabular-nums">{t("questionStats.picked", { count: fmt.number(c.picked), share: fmt.percent(c.picked / q.attempts) })}</span>
                      </div>
                      <div aria-hidden="true" className="mt-0.5 h-2 rounded-sm bg-slate-100">
                        <div className={`h-2 rounded-sm ${c.correct ? "bg-green-700" : "bg-slate-500"}`} style={{ width: `${(100 * c.picked) / q.attempts}%` }} />
                      </div>
                    </li>
                  ))}
                </ul>
                {q.unanswered ? <p className="mt-1 text-sm text-slate-700">{t("questionStats.unanswered", { count: fmt.number(q.unanswered) })}</p> : null}
              </>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
