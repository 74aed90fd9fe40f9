import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { hoursForRequest } from "~/hr/hours-request.server";
import { saveHoursRule } from "~/hr/hours.data.server";
import { findUnitByCode } from "~/hr/org-units.data.server";
import { requireUser } from "~/identity/auth.server";
import { authorize, requireAuthorized } from "~/identity/authorize.server";
import { audit } from "~/platform/audit.server";
import { optionalText, parseForm, text } from "~/platform/forms.server";
import { clientIp } from "~/platform/request.server";
import { pageTitle, useFormat, useLang, useT } from "~/utils/i18n";
import "~/locales/follow-up";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "hours.title");

/** People listed on the page at once; the downloads carry everyone. */
const PEOPLE_ON_PAGE = 200;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const { unit, report } = await hoursForRequest(user, url, clientIp(context));
  const showPeople = url.searchParams.get("view") === "people" || report.rows.every((r) => r.code === unit.code);
  return {
    unit: { code: unit.code, nameVi: unit.nameVi, nameEn: unit.nameEn },
    year: report.year,
    rows: report.rows,
    total: report.total,
    people: showPeople ? report.people.slice(0, PEOPLE_ON_PAGE) : null,
    peopleTotal: report.people.length,
    rules: report.rules.map((r) => ({ id: r.id, unitCode: r.orgUnit.code, unitVi: r.orgUnit.nameVi, unitEn: r.orgUnit.nameEn, position: r.position, hours: r.hours })),
    canSetRules: authorize(user, "staff.manage", unit),
  };
}

const ruleForm = z.object({
  unitCode: text(32),
  position: optionalText(120),
  // Empty removes the rule; otherwise a whole number of hours.
  hours: z.string().trim().regex(/^(|[1-9]\d{0,2})$/, "hours.errors.hours").refine((v) => v === "" || Number(v) <= 500, "hours.errors.hours"),
});

/** Sets (or, with no hours, removes) the yearly requirement of a unit, for everyone or a position. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  await requireAuthorized(user, "staff.manage", null, { ip });
  const parsed = parseForm(ruleForm, await request.formData());
  if (!parsed.ok) return data({ error: Object.values(parsed.errors)[0] ?? "errors.badRequest", saved: false }, { status: 400 });
  const unit = await findUnitByCode(parsed.value.unitCode);
  if (!unit || !authorize(user, "staff.manage", unit)) return data({ error: "admin.unitNotFound", saved: false }, { status: 400 });
  const hours = parsed.value.hours === "" ? null : Number(parsed.value.hours);
  await saveHoursRule(unit.id, parsed.value.position.normalize("NFC"), hours, user.id);
  await audit({ action: "hours.rule", actorId: user.id, orgUnitId: unit.id, ip, detail: { position: parsed.value.position, hours } });
  return data({ error: null, saved: true });
}

const hours = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

export default function HoursPage() {
  const { unit, year, rows, total, people, peopleTotal, rules, canSetRules } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const fmt = useFormat();
  const name = (u: { nameVi: string; nameEn: string }) => (lang === "vi" ? u.nameVi : u.nameEn);
  const query = { unit: unit.code, year: String(year) };
  const link = (extra: Record<string, string>) => `?${new URLSearchParams({ ...query, ...extra })}`;
  const rate = (met: number, required: number) => (required ? met / required : 0);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold text-brand-800">{t("hours.title")}</h1>
        <p className="mt-1 text-slate-700">{t("hours.intro", { unit: name(unit), year })}</p>
      </div>
      <Form method="get" className="flex flex-wrap items-end gap-3">
        <TextField id="unit" label={t("followUp.unit")} name="unit" defaultValue={unit.code} />
        <TextField id="year" label={t("hours.year")} name="year" type="number" defaultValue={year} />
        <button type="submit" className="btn">{t("followUp.show")}</button>
      </Form>
      <p className="flex flex-wrap gap-3">
        <a href={link({ format: "csv" })} className="btn-secondary" download>{t("hr.exportCsv")}</a>
        <a href={link({ format: "xlsx" })} className="btn-secondary" download>{t("hr.exportXlsx")}</a>
        <Link to={link({ view: "people" })} className="btn-secondary">{t("hours.everyone", { count: fmt.number(peopleTotal) })}</Link>
      </p>
      <section className="card" aria-labelledby="hours-chart">
        <h2 id="hours-chart" className="text-lg font-semibold">{t("hours.chart")}</h2>
        <ul className="mt-3 space-y-1" aria-hidden="true">
          {rows.map((r) => (
            <li key={r.code} className="grid grid-cols-[minmax(8rem,14rem)_1fr_3.5rem] items-center gap-2 text-sm">
              <span className="truncate">{name(r)}</span>
              <span className="h-4 rounded bg-slate-100">
                <span className="block h-4 rounded bg-brand-700" style={{ width: `${Math.round(rate(r.met, r.required) * 100)}%` }} />
              </span>
              <span className="text-right tabular-nums">{fmt.percent(rate(r.met, r.required))}</span>
            </li>
          ))}
        </ul>
        <div className="mt-4 overflow-x-auto">
          <table className="table bg-white">
            <thead>
              <tr>
                <th scope="col">{t("hr.unit")}</th>
                <th scope="col" className="text-right">{t("hours.people")}</th>
                <th scope="col" className="text-right">{t("hours.required")}</th>
                <th scope="col" className="text-right">{t("hours.met")}</th>
                <th scope="col" className="text-right">{t("hours.metRate")}</th>
                <th scope="col" className="text-right">{t("hours.totalHours")}</th>
                <th scope="col" className="text-right">{t("hours.average")}</th>
                <th scope="col" className="text-right">{t("hours.inPersonHours")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.code}>
                  <th scope="row" className="bg-white font-normal">
                    {r.hasChildren || r.code !== unit.code ? <Link to={`?${new URLSearchParams({ unit: r.code, year: String(year) })}`}>{name(r)}</Link> : name(r)}
                  </th>
                  <td className="text-right tabular-nums">{fmt.number(r.people)}</td>
                  <td className="text-right tabular-nums">{fmt.number(r.required)}</td>
                  <td className="text-right tabular-nums">{fmt.number(r.met)}</td>
                  <td className="text-right tabular-nums">{fmt.percent(rate(r.met, r.required))}</td>
                  <td className="text-right tabular-nums">{fmt.number(hours(r.minutes))}</td>
                  <td className="text-right tabular-nums">{fmt.number(r.people ? hours(r.minutes / r.people) : 0)}</td>
                  <td className="text-right tabular-nums">{fmt.number(hours(r.inPersonMinutes))}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="font-semibold">
                <th scope="row" className="bg-slate-100">{t("hr.total")}</th>
                <td className="bg-slate-100 text-right tabular-nums">{fmt.number(total.people)}</td>
                <td className="bg-slate-100 text-right tabular-nums">{fmt.number(total.required)}</td>
                <td className="bg-slate-100 text-right tabular-nums">{fmt.number(total.met)}</td>
                <td className="bg-slate-100 text-right tabular-nums">{fmt.percent(rate(total.met, total.required))}</td>
                <td className="bg-slate-100 text-right tabular-nums">{fmt.number(hours(total.minutes))}</td>
                <td className="bg-slate-100 text-right tabular-nums">{fmt.number(total.people ? hours(total.minutes / total.people) : 0)}</td>
                <td className="bg-slate-100 text-right tabular-nums">{fmt.number(hours(total.inPersonMinutes))}</td>
              </tr>
            </tfoot>
          </table>
        </div>
        <p className="mt-2 text-sm text-slate-700">{t("hours.note")}</p>
        <p className="mt-1 text-sm">
          <Link to="/hr/classes">{t("classes.link")}</Link>
        </p>
      </section>
      {people ? (
        <section aria-labelledby="people-heading">
          <h2 id="people-heading" className="text-lg font-semibold">{t("hours.peopleHeading")}</h2>
          {peopleTotal > people.length ? <p className="text-sm text-slate-700">{t("hours.firstPeople", { shown: fmt.number(people.length), total: fmt.number(peopleTotal) })}</p> : null}
          <div className="overflow-x-auto">
            <table className="table mt-2 bg-white">
              <thead>
                <tr>
                  <th scope="col">{t("hours.columns.fullName")}</th>
                  <th scope="col">{t("hours.columns.unit")}</th>
                  <th scope="col" className="text-right">{t("hours.columns.hours")}</th>
                  <th scope="col" className="text-right">{t("hours.columns.required")}</th>
                  <th scope="col">{t("hours.columns.met")}</th>
                </tr>
              </thead>
              <tbody>
                {people.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <Link to={`/hr/staff/${p.id}`}>{p.fullName}</Link>
                      <span className="block text-xs text-slate-600">{[p.employeeCode, p.position].filter(Boolean).join(" · ")}</span>
                    </td>
                    <td>{lang === "vi" ? p.unitVi : p.unitEn}</td>
                    <td className="text-right tabular-nums">{fmt.number(hours(p.minutes))}</td>
                    <td className="text-right tabular-nums">{p.required === null ? "—" : fmt.number(p.required)}</td>
                    <td>{p.required === null ? "—" : p.met ? t("hours.yes") : t("hours.no")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      <section className="card max-w-2xl space-y-3" aria-labelledby="rules-heading">
        <h2 id="rules-heading" className="text-lg font-semibold">{t("hours.rulesTitle")}</h2>
        {rules.length ? (
          <ul className="list-disc pl-6 text-sm">
            {rules.map((r) => (
              <li key={r.id}>{t("hours.rule", { unit: lang === "vi" ? r.unitVi : r.unitEn, position: r.position || t("hours.everyPosition"), hours: r.hours })}</li>
            ))}
          </ul>
        ) : (
          <p className="text-sm">{t("hours.noRules")}</p>
        )}
        {result?.saved ? <Notice tone="success">{t("hours.saved")}</Notice> : null}
        {result?.error ? <Notice tone="error">{t(result.error)}</Notice> : null}
        {canSetRules ? (
          <Form method="post" className="grid gap-3 sm:grid-cols-3 sm:items-end">
            <TextField id="rule-unit" label={t("followUp.unit")} name="unitCode" defaultValue={unit.code} />
            <TextField id="rule-position" label={t("hours.position")} name="position" />
            <TextField id="rule-hours" label={t("hours.hoursPerYear")} name="hours" type="number" min={1} max={500} />
            <p className="text-xs text-slate-600 sm:col-span-3">{t("hours.ruleHelp")}</p>
            <button type="submit" className="btn sm:col-span-1">{t("followUp.assignments.save")}</button>
          </Form>
        ) : null}
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
