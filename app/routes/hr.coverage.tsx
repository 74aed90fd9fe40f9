import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { SelectField, TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import "~/locales/versions";
import { requireUser } from "~/identity/auth.server";
import type { Coverage, CoverageRow, TrendPoint } from "~/hr/coverage.server";
import { coveragePageForRequest } from "~/hr/coverage-request.server";
import { CATEGORY_COLUMNS, COVERAGE_COLUMNS as COLUMNS } from "~/utils/coverage";
import { ancestorsOf } from "~/hr/org-units.data.server";
import { hasNationalScope, NATION } from "~/hr/hr-scope.server";
import { publishedCourseChoices } from "~/hr/published-courses.data.server";
import { authorize } from "~/identity/authorize.server";
import { clientIp } from "~/platform/request.server";
import { CATEGORIES } from "~/utils/course";
import { pageTitle, useFormat, useLang, useT } from "~/utils/i18n";
import { formatDate, formatTime } from "~/utils/vietnam-time";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.coverage");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const { unit, report, computedAt, trend, trendComputedAt, periodError } = await coveragePageForRequest(user, url, clientIp(context), { signal: request.signal });
  return { ...(await pageData(user, unit, report, url)), computedAt, trend, trendComputedAt, periodInvalid: periodError !== null };
}

async function pageData(user: Awaited<ReturnType<typeof requireUser>>, unit: { path: string; code: string }, report: Coverage, url: URL) {
  const rawCourse = Number(url.searchParams.get("course"));
  const courses = await publishedCourseChoices();
  const ancestors = (await ancestorsOf(unit.path)).filter((a) => authorize(user, "report.view", a)).map((a) => ({ code: a.code, nameVi: a.nameVi, nameEn: a.nameEn }));
  // Whoever has the whole country climbs up to it from any province.
  if (unit.code !== NATION.code && (await hasNationalScope(user, "report.view"))) ancestors.unshift({ code: NATION.code, nameVi: NATION.nameVi, nameEn: NATION.nameEn });
  return {
    report,
    courses,
    ancestors,
    query: {
      unit: unit.code,
      course: Number.isInteger(rawCourse) && rawCourse > 0 ? String(rawCourse) : "",
      category: report.filters.category ?? "",
      from: url.searchParams.get("from") ?? "",
      to: url.searchParams.get("to") ?? "",
    },
  };
}

function barColour(rate: number) {
  return rate >= 0.8 ? "bg-green-700" : rate >= 0.5 ? "bg-amber-500" : "bg-red-700";
}

export default function CoveragePage() {
  const { report, computedAt, courses, ancestors, query, trend, trendComputedAt, periodInvalid } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const fmt = useFormat();
  const name = (r: { nameVi: string; nameEn: string }) => (lang === "vi" ? r.nameVi : r.nameEn);
  const link = (extra: Record<string, string>) => `?${new URLSearchParams({ ...query, ...extra })}`;
  const direct = report.rows.length > 1 && report.rows[0].code === report.unit.code;
  const label = (r: CoverageRow, i: number) => (direct && i === 0 ? t("hr.directStaff", { name: name(r) }) : name(r));
  // A figure about people links to the named list behind it (the chosen course, or every course).
  const PEOPLE: Partial<Record<string, string>> = { enrolled: "", completed: "done", overdue: "overdue", exempt: "exempt" };
  const people = (code: string, column: string) => {
    const status = PEOPLE[column];
    if (status === undefined) return null;
    return `/hr/progress?${new URLSearchParams({ unit: code, ...(query.course ? { course: query.course } : {}), ...(status ? { status } : {}) })}`;
  };
  const figure = (r: CoverageRow, c: (typeof COLUMNS)[number], linked: boolean) => {
    const text = c === "completionRate" ? fmt.percent(r.completionRate) : fmt.number(r[c]);
    const href = linked && r[c] > 0 ? people(r.code, c) : null;
    return href ? (
      <Link to={href} aria-label={t("hr.peopleLink", { label: `${name(r)}, ${t(`hr.${c}`)}: ${text}` })}>
        {text}
      </Link>
    ) : (
      text
    );
  };
  return (
    <div className="space-y-6">
      <nav aria-label={t("hr.up")} className="text-sm">
        <ol className="flex flex-wrap gap-1">
          {ancestors.map((a) => (
            <li key={a.code}>
              <Link to={link({ unit: a.code })}>{name(a)}</Link> /
            </li>
          ))}
          <li aria-current="page">{name(report.unit)}</li>
        </ol>
      </nav>
      <div>
        <h1 className="text-2xl font-bold text-brand-800">{t("hr.coverageTitle")}</h1>
        <p className="mt-1 text-slate-700">
          {name(report.unit)} — {t("hr.coverageIntro")}
        </p>
        <SnapshotNote computedAt={computedAt} />
      </div>
      <Form method="get" className="grid gap-3 sm:grid-cols-5 sm:items-end">
        <input type="hidden" name="unit" value={query.unit} />
        <SelectField id="course" label={t("hr.course")} name="course" defaultValue={query.course}>
          <option value="">{t("hr.allCourses")}</option>
          {courses.map((c) => (
            <option key={c.id} value={c.id}>
              {lang === "en" && c.titleEn ? c.titleEn : c.title}
              {c.unpublishedAt ? ` (${t("versions.hr.withdrawn")})` : ""}
            </option>
          ))}
        </SelectField>
        <SelectField id="category" label={t("catalog.category")} name="category" defaultValue={query.category}>
          <option value="">{t("catalog.allCategories")}</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`categories.${c}`)}
            </option>
          ))}
        </SelectField>
        <TextField id="from" label={t("hr.from")} name="from" type="date" defaultValue={query.from} />
        <TextField id="to" label={t("hr.to_")} name="to" type="date" defaultValue={query.to} />
        <button type="submit" className="btn">
          {t("hr.apply_")}
        </button>
        <p className="text-xs text-slate-600 sm:col-span-5">{t("hr.period")}</p>
      </Form>
      {periodInvalid ? <Notice tone="error">{t("hr.periodInvalid")}</Notice> : null}
      <p className="flex flex-wrap gap-3">
        <a href={link({ format: "csv" })} className="btn-secondary" download>
          {t("hr.exportCsv")}
        </a>
        <a href={link({ format: "xlsx" })} className="btn-secondary" download>
          {t("hr.exportXlsx")}
        </a>
        {query.unit !== "*" ? (
          <>
            <a href={`/hr/transcripts/zip?${new URLSearchParams({ unit: query.unit })}`} className="btn-secondary" download>
              {t("hr.transcripts.zip")}
            </a>
            <Link to={`/hr/hours?${new URLSearchParams({ unit: query.unit })}`} className="btn-secondary">
              {t("hours.link")}
            </Link>
          </>
        ) : null}
      </p>
      <section aria-labelledby="chart-heading" className="card">
        <h2 id="chart-heading" className="text-lg font-semibold">
          {t("hr.chart")}
        </h2>
        <p className="mt-1 flex flex-wrap gap-4 text-xs text-slate-700">
          <span><span className="mr-1 inline-block h-3 w-3 rounded bg-green-700 align-middle" />{t("hr.legendHigh")}</span>
          <span><span className="mr-1 inline-block h-3 w-3 rounded bg-amber-500 align-middle" />{t("hr.legendMid")}</span>
          <span><span className="mr-1 inline-block h-3 w-3 rounded bg-red-700 align-middle" />{t("hr.legendLow")}</span>
        </p>
        <ul className="mt-3 space-y-1">
          {report.rows.map((r, i) => (
            <li key={`${r.code}-${i}`} className="grid grid-cols-[minmax(8rem,14rem)_1fr_3.5rem] items-center gap-2 text-sm">
              <span className="truncate" title={label(r, i)}>{label(r, i)}</span>
              <span className="h-4 rounded bg-slate-100" aria-hidden="true">
                <span className={`block h-4 rounded ${barColour(r.completionRate)}`} style={{ width: `${Math.round(r.completionRate * 100)}%` }} />
              </span>
              <span className="text-right tabular-nums">{fmt.percent(r.completionRate)}</span>
            </li>
          ))}
        </ul>
      </section>
      <div className="overflow-x-auto">
        <table className="table bg-white">
          <FigureHeader first={t("hr.unit")} columns={COLUMNS} />
          <tbody>
            {report.rows.map((r, i) => (
              <tr key={`${r.code}-${i}`}>
                <th scope="row" className="bg-white font-normal">
                  {r.hasChildren && !(direct && i === 0) ? <Link to={link({ unit: r.code })} title={t("hr.drillDown")}>{label(r, i)}</Link> : label(r, i)}
                </th>
                {COLUMNS.map((c) => (
                  <td key={c} className="text-right tabular-nums">
                    {figure(r, c, !(direct && i === 0))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="font-semibold">
              <th scope="row" className="bg-slate-100">{t("hr.total")}</th>
              {COLUMNS.map((c) => (
                <td key={c} className="bg-slate-100 text-right tabular-nums">
                  {figure({ ...report.total, code: report.unit.code }, c, true)}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="text-sm text-slate-700">{t("hr.countingNote")}</p>
      <section aria-labelledby="cat-heading">
        <h2 id="cat-heading" className="text-lg font-semibold">
          {t("hr.byCategory")}
        </h2>
        <table className="table mt-2 bg-white">
          <FigureHeader first={t("catalog.category")} columns={CATEGORY_COLUMNS} />
          <tbody>
            {report.categories.map((c) => (
              <tr key={c.category}>
                <th scope="row" className="bg-white font-normal">{t(`categories.${c.category}`)}</th>
                {CATEGORY_COLUMNS.map((k) => (
                  <td key={k} className="text-right tabular-nums">
                    {k === "completionRate" ? fmt.percent(c.completionRate) : fmt.number(c[k])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <Trend points={trend} computedAt={trendComputedAt} />
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";

/** The completion rate month by month: bars for the eye, and the same figures as a table. */
function Trend({ points, computedAt }: { points: TrendPoint[]; computedAt: Date | null }) {
  const t = useT();
  const fmt = useFormat();
  const monthLabel = (m: string) => `${m.slice(5)}/${m.slice(0, 4)}`;
  return (
    <section aria-labelledby="trend-heading" className="card">
      <h2 id="trend-heading" className="text-lg font-semibold">{t("hr.trend")}</h2>
      <p className="mt-1 text-sm text-slate-700">{t("hr.trendIntro")}</p>
      <SnapshotNote computedAt={computedAt} />
      <div className="mt-3 grid gap-4 lg:grid-cols-[1fr_auto]">
        <div className="flex h-40 items-end gap-1" aria-hidden="true">
          {points.map((p) => (
            <div key={p.month} className="flex h-full flex-1 flex-col items-center justify-end gap-1">
              <span className="text-[0.7rem] tabular-nums text-slate-700">{fmt.percent(p.rate)}</span>
              <span className={`block w-full rounded-t ${barColour(p.rate)}`} style={{ height: `${Math.max(2, Math.round(p.rate * 100))}%` }} />
              <span className="text-[0.7rem] text-slate-700">{p.month.slice(5)}</span>
            </div>
          ))}
        </div>
        <table className="table text-sm">
          <thead>
            <tr>
              <th scope="col">{t("hr.trendMonth")}</th>
              <th scope="col" className="text-right">{t("hr.trendCompleted")}</th>
              <th scope="col" className="text-right">{t("hr.trendRate")}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.month}>
                <th scope="row" className="font-normal">{monthLabel(p.month)}</th>
                <td className="text-right tabular-nums">{fmt.number(p.completedInMonth)}</td>
                <td className="text-right tabular-nums">{fmt.percent(p.rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** When figures come from a snapshot (a large report), the instant they were computed at; nothing when live. */
function SnapshotNote({ computedAt }: { computedAt: Date | null }) {
  const t = useT();
  if (!computedAt) return null;
  return <p className="mt-1 text-sm text-slate-700">{t("hr.snapshotAt", { time: formatTime(computedAt), date: formatDate(computedAt) })}</p>;
}

/** The header of a table of figures: what the rows are, then one right-aligned column per figure. */
function FigureHeader({ first, columns }: { first: string; columns: readonly string[] }) {
  const t = useT();
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        {columns.map((c) => (
          <th key={c} scope="col" className="text-right">
            {t(`hr.${c}`)}
          </th>
        ))}
      </tr>
    </thead>
  );
}
